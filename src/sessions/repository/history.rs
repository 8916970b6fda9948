//! Ended sessions: the "Recently ended" list, refused presentations of their tokens, and the
//! purge after 30 days.

use crate::platform::db::Db;
use crate::platform::ids::{SessionId, UnixTime, UserId};

/// An ended session with the session that ended it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EndedRow {
    /// Public id.
    pub public_id: String,
    /// `web` or `cli`.
    pub kind: String,
    /// Captured user agent.
    pub user_agent: Option<String>,
    /// User-given name.
    pub label: Option<String>,
    /// Sign-in time.
    pub created_at: UnixTime,
    /// When it ended.
    pub revoked_at: UnixTime,
    /// Stored reason.
    pub revoked_reason: Option<String>,
    /// Refused presentations of its token since.
    pub refused_count: i64,
    /// The last one.
    pub last_refused_at: Option<UnixTime>,
    /// The ending session's user agent, kind and name, when another session ended it.
    pub by_user_agent: Option<String>,
    /// See `by_user_agent`.
    pub by_kind: Option<String>,
    /// The ending session's name at the moment it ended this one (a later rename changes
    /// nothing).
    pub by_label: Option<String>,
}

/// Sessions of `user_id` that ended after `since`, newest first (at most 200).
pub async fn list_ended(
    db: &Db,
    user_id: UserId,
    since: UnixTime,
) -> Result<Vec<EndedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.public_id, s.kind, s.user_agent, s.label, s.created_at, s.revoked_at, \
         s.revoked_reason, s.refused_count, s.last_refused_at, b.user_agent AS by_user_agent, \
         b.kind AS by_kind, s.revoked_by_label AS by_label \
         FROM sessions s LEFT JOIN sessions b ON b.id = s.revoked_by_session_id AND b.id <> s.id \
         WHERE s.user_id = $1 AND s.revoked_at IS NOT NULL AND s.revoked_at > $2 \
         ORDER BY s.revoked_at DESC, s.id DESC LIMIT 200",
    )
    .bind(user_id)
    .bind(since)
    .fetch_all(db.pool())
    .await
}

/// Counts a refused presentation of ended session `session_id`'s token, at most once a second
/// per session, so replaying an old token cannot turn into a stream of writes.
pub async fn record_refusal(
    db: &Db,
    session_id: SessionId,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET refused_count = refused_count + 1, last_refused_at = $2 \
         WHERE id = $1 AND revoked_at IS NOT NULL \
         AND (last_refused_at IS NULL OR last_refused_at < $2)",
    )
    .bind(session_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Deletes sessions that ended before `before`; how many.
pub async fn purge_ended(db: &Db, before: UnixTime) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}
