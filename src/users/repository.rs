//! SQL about accounts, reached only through `users::service`.

use crate::platform::db::Db;
use crate::platform::ids::{UnixTime, UserId};
use sqlx::{Any, Transaction};

/// What login needs about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    /// Internal id.
    pub id: UserId,
    /// Normalised email.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// When the account was disabled, if it was.
    pub disabled_at: Option<UnixTime>,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    /// The email is taken.
    #[error("an account with this email already exists")]
    Duplicate,
    /// Anything else.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates an account and returns its id.
pub async fn create(
    db: &Db,
    email: &str,
    password_hash: &str,
    now: UnixTime,
) -> Result<UserId, CreateUserError> {
    let inserted: Result<(UserId,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO users (email, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(now)
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok((id,)) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(CreateUserError::Duplicate),
        Err(e) => Err(e.into()),
    }
}

/// The account with this (normalised) email.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, password_hash, disabled_at FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db.pool())
        .await
}

/// Whether the database holds any account at all (disabled ones count). One indexed row at most,
/// not a count: the login page asks on every visit.
pub async fn any_account(db: &Db) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some())
}

/// The account with this id.
pub async fn find_by_id(db: &Db, id: UserId) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, password_hash, disabled_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Sets a new password hash inside the caller's transaction.
pub async fn set_password_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    password_hash: &str,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Locks the account's row until `tx` ends (a no-op write: on PostgreSQL it takes the row lock,
/// on SQLite the write transaction already excludes every other writer). Taken first by every
/// transaction that ends sessions for the whole account or creates a CLI session, so the two
/// cannot interleave.
pub async fn lock_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email = email WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks the account with this email disabled; its id, or `None` if there is no such account.
pub async fn disable_in(
    tx: &mut Transaction<'static, Any>,
    email: &str,
    now: UnixTime,
) -> Result<Option<UserId>, sqlx::Error> {
    let row: Option<(UserId,)> =
        sqlx::query_as("UPDATE users SET disabled_at = $1 WHERE email = $2 RETURNING id")
            .bind(now)
            .bind(email)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Deletes the account; its sessions go with it (`ON DELETE CASCADE`, SEC-14).
pub async fn delete_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
