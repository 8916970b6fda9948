//! Every SQL statement about second factors, reached only through `factors::service`. A code is
//! accepted by a conditional `UPDATE` (compare-and-set) inside the caller's transaction, so two
//! requests racing with one code cannot both see it unused (SEC-48).

pub mod passkeys;
mod pending;

pub use pending::{
    NewPending, PendingRow, delete_pending_of_in, find_pending, insert_pending, purge_pending,
    take_pending_in,
};

use crate::platform::db::Db;
use crate::platform::ids::{UnixTime, UserId};
use sqlx::{Any, AnyConnection, Transaction};

/// An authenticator app of an account, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TotpRow {
    /// Its id.
    pub id: i64,
    /// The secret, sealed (`factors::crypto`).
    pub secret_sealed: Vec<u8>,
}

/// What second factors an account has, as counted in one statement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct FactorCounts {
    /// Authenticator apps (0 or 1).
    pub totp: i64,
    /// Passkeys.
    pub passkeys: i64,
    /// Recovery codes, used or not (a set exists).
    pub recovery_codes: i64,
    /// Recovery codes not used yet.
    pub recovery_left: i64,
}

const COUNT_FACTORS: &str = "SELECT \
    (SELECT COUNT(*) FROM totp_factors WHERE user_id = $1) AS totp, \
    (SELECT COUNT(*) FROM passkeys WHERE user_id = $1) AS passkeys, \
    (SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1) AS recovery_codes, \
    (SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS recovery_left";

/// The second factors of `user_id`.
pub async fn factors_of(db: &Db, user_id: UserId) -> Result<FactorCounts, sqlx::Error> {
    sqlx::query_as(COUNT_FACTORS)
        .bind(user_id)
        .fetch_one(db.pool())
        .await
}

/// The second factors of `user_id`, on `conn`: a transaction (a change that depends on them) or
/// a connection held for several reads (`Db::connection`).
pub async fn factors_of_in(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<FactorCounts, sqlx::Error> {
    sqlx::query_as(COUNT_FACTORS)
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// The most recently sealed authenticator-app secret and its account, if any account has one
/// (start-up checks that `SECRETS_KEY` is set then, and that it opens this one).
pub async fn newest_sealed(db: &Db) -> Result<Option<(UserId, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, secret_sealed FROM totp_factors ORDER BY id DESC LIMIT 1")
        .fetch_optional(db.pool())
        .await
}

/// The authenticator app of `user_id`, inside `tx`.
pub async fn totp_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<Option<TotpRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, secret_sealed FROM totp_factors WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
}

/// An authenticator app about to be stored, its confirming code's step already used.
#[derive(Debug)]
pub struct NewTotp<'a> {
    /// The account.
    pub user_id: UserId,
    /// The sealed secret.
    pub secret_sealed: &'a [u8],
    /// The step of the code that confirmed it.
    pub step: i64,
}

/// Stores an authenticator app unless the account has one; whether it was stored.
pub async fn insert_totp_in(
    tx: &mut Transaction<'static, Any>,
    new: NewTotp<'_>,
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO totp_factors (user_id, secret_sealed, last_used_step, created_at, \
         last_used_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(new.user_id)
    .bind(new.secret_sealed.to_vec())
    .bind(new.step)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Accepts time step `step` of factor `factor_id` once (RFC 6238 §5.2): advances the last used
/// step only if it is newer. SQLite's write transactions are serial; PostgreSQL re-checks the
/// `WHERE` after the row lock, so of parallel requests with one code only one updates the row.
pub async fn advance_step_in(
    tx: &mut Transaction<'static, Any>,
    factor_id: i64,
    step: i64,
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE totp_factors SET last_used_step = $1, last_used_at = $2 \
         WHERE id = $3 AND (last_used_step IS NULL OR last_used_step < $1)",
    )
    .bind(step)
    .bind(now)
    .bind(factor_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the authenticator app of `user_id` inside `tx`; whether it had one. Its recovery
/// codes stay for the caller to decide (a passkey may still need them).
pub async fn delete_totp_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes every recovery code of `user_id` inside `tx` (its last second factor went).
pub async fn delete_recovery_codes_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether any account has recovery codes (start-up checks that `SECRETS_KEY` is set then).
pub async fn any_recovery_codes(db: &Db) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM recovery_codes LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some())
}

/// Replaces the recovery codes of `user_id` by `hashes` (the old set stops working).
pub async fn replace_recovery_codes_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    hashes: &[Vec<u8>],
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(hash.clone())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Uses the recovery code with `hash` of `user_id` if it is unused; whether it was.
pub async fn use_recovery_code_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    hash: &[u8],
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(hash.to_vec())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
