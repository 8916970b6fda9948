//! Sign-ins whose password proved right and that wait for their second step: single use, five
//! minutes, only the SHA-256 of the token stored. No session exists until one completes.

use crate::platform::db::Db;
use crate::platform::ids::{DeviceId, UnixTime, UserId};
use sqlx::{Any, Transaction};

/// A pending sign-in about to be stored.
#[derive(Debug)]
pub struct NewPending<'a> {
    /// SHA-256 of its token.
    pub token_hash: &'a [u8],
    /// The account whose password proved right.
    pub user_id: UserId,
    /// The known browser it came from, if any.
    pub device_id: Option<DeviceId>,
    /// The failure budget the password step counted in (reset when the sign-in completes).
    pub budget_key: &'a str,
    /// The address budget the password step counted in (its failure is taken back then).
    pub ip_key: &'a str,
    /// When the password step was counted.
    pub password_at: UnixTime,
}

/// A pending sign-in, as taken.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    /// The account.
    pub user_id: UserId,
    /// The known browser, if any.
    pub device_id: Option<DeviceId>,
    /// The failure budget the password step counted in.
    pub budget_key: String,
    /// The address budget the password step counted in (empty for rows from before it was kept).
    pub ip_key: String,
    /// When the password proved right (and was counted as a failure).
    pub password_at: UnixTime,
}

/// Stores a pending sign-in, valid until `expires_at`.
pub async fn insert_pending(
    db: &Db,
    new: NewPending<'_>,
    expires_at: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pending_sign_ins (token_hash, user_id, device_id, budget_key, ip_key, \
         password_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new.token_hash.to_vec())
    .bind(new.user_id)
    .bind(new.device_id)
    .bind(new.budget_key)
    .bind(new.ip_key)
    .bind(new.password_at)
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Marks the unexpired, unused pending sign-in with `token_hash` used, inside `tx`; it if was.
/// The caller rolls back when the second step fails, so a wrong code does not spend it.
pub async fn take_pending_in(
    tx: &mut Transaction<'static, Any>,
    token_hash: &[u8],
    now: UnixTime,
) -> Result<Option<PendingRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE pending_sign_ins SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, device_id, budget_key, ip_key, password_at",
    )
    .bind(now)
    .bind(token_hash.to_vec())
    .fetch_optional(&mut **tx)
    .await
}

/// Reads the unexpired, unused pending sign-in with `token_hash` without taking it.
pub async fn find_pending(
    db: &Db,
    token_hash: &[u8],
    now: UnixTime,
) -> Result<Option<PendingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, device_id, budget_key, ip_key, password_at FROM pending_sign_ins \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash.to_vec())
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// Deletes every pending sign-in of `user_id` inside `tx` (the account's other sessions are being
/// signed out, or its password or factors changed: a password step made before must not finish).
pub async fn delete_pending_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM pending_sign_ins WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes pending sign-ins that expired before `now`; how many.
pub async fn purge_pending(db: &Db, now: UnixTime) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM pending_sign_ins WHERE expires_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
