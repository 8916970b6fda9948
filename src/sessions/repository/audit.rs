//! The audit trail (`auth_events`), always written inside the transaction of the change it
//! records (SEC-20, SEC-36), and mirrored to the log.

use crate::platform::ids::{UnixTime, UserId};
use sqlx::{Any, Transaction};

/// One entry of the audit trail.
#[derive(Clone, Copy, Debug)]
pub struct AuthEvent<'a> {
    /// When (Unix seconds).
    pub at: UnixTime,
    /// What happened (`session_created`, `session_revoked`, …).
    pub event: &'a str,
    /// The account.
    pub user_id: Option<UserId>,
    /// The session it is about (public id).
    pub session: Option<&'a str>,
    /// The session that did it (public id), if another one.
    pub actor: Option<&'a str>,
    /// The address it came from.
    pub ip: Option<&'a str>,
    /// A detail, e.g. the kind of a new session or why one ended.
    pub detail: Option<&'a str>,
}

/// Appends to the audit trail inside the caller's transaction.
pub async fn record_event_in(
    tx: &mut Transaction<'static, Any>,
    entry: AuthEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_events (at, event, user_id, session_public_id, actor_public_id, ip, \
         detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.at)
    .bind(entry.event)
    .bind(entry.user_id)
    .bind(entry.session)
    .bind(entry.actor)
    .bind(entry.ip)
    .bind(entry.detail)
    .execute(&mut **tx)
    .await?;
    tracing::info!(
        event = entry.event,
        user_id = entry.user_id.map(|u| u.0),
        session = entry.session,
        actor = entry.actor,
        ip = entry.ip,
        detail = entry.detail,
        "auth event"
    );
    Ok(())
}
