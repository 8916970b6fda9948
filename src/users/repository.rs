//! SQL about accounts.

use crate::server::db::Db;
use crate::sessions::repository::{self as sessions, Revoker};

/// What login needs about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    /// Internal id.
    pub id: i64,
    /// Normalised email.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// When the account was disabled, if it was.
    pub disabled_at: Option<i64>,
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
    now: i64,
) -> Result<i64, CreateUserError> {
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
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

/// The account with this id.
pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, password_hash, disabled_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Sets a new password hash; with `keep_session` the other sessions end and that one's token
/// is rotated, all in one transaction (SEC-13). Returns the new token of the kept session.
pub async fn change_password(
    db: &Db,
    user_id: i64,
    password_hash: &str,
    keep_session: (i64, &str),
    ip: Option<&str>,
    now: i64,
) -> Result<Option<crate::auth::token::SessionToken>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let by = Revoker {
        by_session_id: Some(keep_session.0),
        by_public_id: Some(keep_session.1),
        reason: "password_change",
        ip,
    };
    sessions::revoke_all_in(&mut tx, user_id, Some(keep_session.0), by, now).await?;
    let token = sessions::rotate_token_in(&mut tx, keep_session.0, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// Disables an account and ends all of its sessions at once (SEC-14). False if no such email.
pub async fn disable(db: &Db, email: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64,)> =
        sqlx::query_as("UPDATE users SET disabled_at = $1 WHERE email = $2 RETURNING id")
            .bind(now)
            .bind(email)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((user_id,)) = row else {
        return Ok(false);
    };
    let by = Revoker {
        by_session_id: None,
        by_public_id: None,
        reason: "user_disabled",
        ip: None,
    };
    sessions::revoke_all_in(&mut tx, user_id, None, by, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes an account; its sessions go with it (`ON DELETE CASCADE`, SEC-14).
pub async fn delete(db: &Db, email: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM users WHERE email = $1")
        .bind(email)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}
