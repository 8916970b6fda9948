//! What the "This wasn't me" page and the device lifecycle need to know about one session: its
//! name, address and times, and the browser (device record) it started from.

use crate::platform::db::Db;
use crate::platform::ids::{DeviceId, SessionId, UnixTime, UserId};
use crate::sessions::repository::{self, EndTarget};
use sqlx::{Any, Transaction};

/// What the "This wasn't me" page may show about a session, live or ended: its name, where and
/// when it signed in, and when it ended.
#[derive(Debug, Clone)]
pub struct SessionFacts {
    /// "Firefox 132 on Ubuntu".
    pub name: String,
    /// Sign-in address.
    pub ip: Option<String>,
    /// Country of that address, when public and known.
    pub country: Option<String>,
    /// Sign-in time.
    pub created_at: UnixTime,
    /// When it ended, if it has.
    pub ended_at: Option<UnixTime>,
    /// The browser it was started from, if any.
    pub device: Option<DeviceState>,
}

/// A browser (device record) as the not-me page needs it.
#[derive(Debug, Clone, Copy)]
pub struct DeviceState {
    /// Its id.
    pub id: DeviceId,
    /// Whether it has been revoked (forgotten).
    pub revoked: bool,
}

/// [`SessionFacts`] of the session with internal id `session_id`.
pub async fn facts(db: &Db, session_id: SessionId) -> Result<Option<SessionFacts>, sqlx::Error> {
    let Some((row, revoked_at)) = repository::find_any(db, session_id).await? else {
        return Ok(None);
    };
    let device = match row.device_id {
        Some(id) => repository::device_revoked(db, id)
            .await?
            .map(|revoked| DeviceState { id, revoked }),
        None => None,
    };
    let described = crate::sessions::client_info::describe(row.user_agent.as_deref(), row.kind);
    Ok(Some(SessionFacts {
        name: described.name,
        country: row
            .ip
            .as_deref()
            .and_then(crate::sessions::client_info::country_of)
            .map(|c| c.name),
        ip: row.ip,
        created_at: row.created_at,
        ended_at: revoked_at,
        device,
    }))
}

/// The browser (device record) a session of `user_id` (by internal or public id) was started
/// from, and whether that device is revoked.
pub async fn device_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    session: EndTarget<'_>,
) -> Result<Option<(DeviceId, bool)>, sqlx::Error> {
    repository::device_of_in(tx, user_id, session).await
}
