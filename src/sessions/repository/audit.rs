//! The audit trail (`auth_events`), always written inside the transaction of the change it
//! records (SEC-20, SEC-36), and mirrored to the log.

use sqlx::{Any, Transaction};

/// Appends to the audit trail inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn record_event_in(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    event: &str,
    user_id: Option<i64>,
    session_public_id: Option<&str>,
    actor_public_id: Option<&str>,
    ip: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_events (at, event, user_id, session_public_id, actor_public_id, ip, \
         detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now)
    .bind(event)
    .bind(user_id)
    .bind(session_public_id)
    .bind(actor_public_id)
    .bind(ip)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    tracing::info!(
        event,
        user_id,
        session = session_public_id,
        actor = actor_public_id,
        ip,
        detail,
        "auth event"
    );
    Ok(())
}
