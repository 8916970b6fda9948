//! Where each CLI session came from: the session that approved its grant (read from
//! `cli_grants`, which records both), for "Approved from …" and revoking an approver with the CLI
//! sessions it approved.

use crate::platform::ids::{SessionId, UnixTime, UserId};
use sqlx::{Any, AnyConnection, Transaction};

/// A live CLI session of an account and the session that approved its grant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Approval {
    /// The CLI session's public id.
    pub cli_public_id: String,
    /// The approving session's public id.
    pub approver_public_id: String,
    /// Its kind, user agent and label (to name it, live or ended).
    pub approver_kind: String,
    /// See `approver_kind`.
    pub approver_user_agent: Option<String>,
    /// See `approver_kind`.
    pub approver_label: Option<String>,
    /// When the grant was approved.
    pub approved_at: UnixTime,
}

/// The live CLI sessions of `user_id` that came from an approved grant, with their approver.
pub async fn approvals_in(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<Vec<Approval>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.public_id AS cli_public_id, a.public_id AS approver_public_id, \
         a.kind AS approver_kind, a.user_agent AS approver_user_agent, \
         a.label AS approver_label, g.approved_at \
         FROM cli_grants g JOIN sessions c ON c.id = g.session_id \
         JOIN sessions a ON a.id = g.approved_by_session_id \
         WHERE g.approved_by_user_id = $1 AND c.user_id = $1 AND c.revoked_at IS NULL \
         AND g.approved_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Internal ids of the live CLI sessions of `user_id` approved from session `approver_public_id`.
pub async fn approved_from_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    approver_public_id: &str,
) -> Result<Vec<SessionId>, sqlx::Error> {
    let rows: Vec<(SessionId,)> = sqlx::query_as(
        "SELECT c.id FROM cli_grants g JOIN sessions c ON c.id = g.session_id \
         JOIN sessions a ON a.id = g.approved_by_session_id \
         WHERE a.public_id = $2 AND a.user_id = $1 AND c.user_id = $1 AND c.revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(approver_public_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
