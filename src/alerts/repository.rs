//! "This wasn't me" tokens: only their SHA-256 is stored, each bound to one session.

use crate::platform::db::Db;
use crate::platform::ids::{SessionId, UnixTime, UserId};
use crate::sessions::token::{SessionToken, TokenHash};
use sqlx::{Any, Transaction};

/// A stored token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotMeRow {
    /// Stored hash, re-compared in constant time.
    pub token_hash: Vec<u8>,
    /// The session it can end.
    pub session_id: SessionId,
    /// Its account.
    pub user_id: UserId,
    /// Valid until.
    pub expires_at: UnixTime,
    /// When it was used.
    pub used_at: Option<UnixTime>,
    /// How many sessions using it ended.
    pub ended_sessions: Option<i64>,
}

/// Creates a token for `session_id` inside `tx`; the raw value goes into the email only.
pub async fn create_in(
    tx: &mut Transaction<'static, Any>,
    session_id: SessionId,
    user_id: UserId,
    now: UnixTime,
    expires_at: UnixTime,
) -> Result<SessionToken, sqlx::Error> {
    let token = SessionToken::generate();
    sqlx::query(
        "INSERT INTO not_me_tokens (token_hash, session_id, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token.hash().0.to_vec())
    .bind(session_id)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// The token with this hash.
pub async fn find(db: &Db, hash: &TokenHash) -> Result<Option<NotMeRow>, sqlx::Error> {
    let row: Option<NotMeRow> = sqlx::query_as(
        "SELECT token_hash, session_id, user_id, expires_at, used_at, ended_sessions \
         FROM not_me_tokens \
         WHERE token_hash = $1",
    )
    .bind(hash.0.to_vec())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.filter(|r| hash.matches(&r.token_hash)))
}

/// Uses the token inside `tx` (once: `used_at IS NULL` and unexpired in the `WHERE`); the
/// session and account it names, or `None` if it was used or expired meanwhile.
pub async fn use_in(
    tx: &mut Transaction<'static, Any>,
    hash: &TokenHash,
    now: UnixTime,
) -> Result<Option<(SessionId, UserId)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE not_me_tokens SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING session_id, user_id",
    )
    .bind(hash.0.to_vec())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Records what a used token ended, inside the transaction that used it.
pub async fn set_ended_in(
    tx: &mut Transaction<'static, Any>,
    hash: &TokenHash,
    ended_sessions: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE not_me_tokens SET ended_sessions = $2 WHERE token_hash = $1")
        .bind(hash.0.to_vec())
        .bind(ended_sessions as i64)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes tokens that expired before `before`.
pub async fn purge(db: &Db, before: UnixTime) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM not_me_tokens WHERE expires_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}
