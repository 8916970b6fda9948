//! One session's facts, live or ended: its row, the browser (device record) it started from, and
//! whether the account signed in before it (from the audit trail).

use super::{EndTarget, SessionRow};
use crate::platform::db::Db;
use crate::platform::ids::{DeviceId, SessionId, UnixTime, UserId};
use sqlx::{Any, Transaction};

/// The browser (device record) a session of `user_id` was started from, live or ended, and
/// whether that device is revoked. The session is named by internal id or by public id.
pub async fn device_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    session: EndTarget<'_>,
) -> Result<Option<(DeviceId, bool)>, sqlx::Error> {
    let (id, public_id) = match session {
        EndTarget::Id(id) => (id, ""),
        EndTarget::Public(public_id) => (SessionId(-1), public_id),
        _ => return Ok(None),
    };
    let row: Option<(DeviceId, Option<UnixTime>)> = sqlx::query_as(
        "SELECT d.id, d.revoked_at FROM sessions s JOIN trusted_devices d ON d.id = s.device_id \
         WHERE s.user_id = $1 AND (s.id = $2 OR s.public_id = $3)",
    )
    .bind(user_id)
    .bind(id)
    .bind(public_id.to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id, revoked)| (id, revoked.is_some())))
}

/// Whether device `device_id` is revoked (`None`: no such device).
pub async fn device_revoked(db: &Db, device_id: DeviceId) -> Result<Option<bool>, sqlx::Error> {
    let row: Option<(Option<UnixTime>,)> =
        sqlx::query_as("SELECT revoked_at FROM trusted_devices WHERE id = $1")
            .bind(device_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(revoked,)| revoked.is_some()))
}

/// A session by internal id, live or ended, with when it ended (`None`: not revoked).
pub async fn find_any(
    db: &Db,
    session_id: SessionId,
) -> Result<Option<(SessionRow, Option<UnixTime>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        session: SessionRow,
        revoked_at: Option<UnixTime>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, public_id, kind, user_agent, ip, sign_in_method, mfa_factors, mfa_updated_at, \
         assurance_level, label, created_at, last_seen_at, expires_at, last_ip, device_id, reauth_failures, revoked_at \
         FROM sessions WHERE id = $1",
    )
    .bind(session_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.session, r.revoked_at)))
}

/// Whether `user_id` ever signed in before session `except_public_id`, inside `tx`: from the
/// audit trail, which outlives sessions (ended ones are purged after 30 days).
pub async fn signed_in_before_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    except_public_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM auth_events WHERE user_id = $1 AND event = 'session_created' \
         AND session_public_id <> $2 LIMIT 1",
    )
    .bind(user_id)
    .bind(except_public_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}
