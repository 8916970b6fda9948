//! Passkeys and WebAuthn ceremonies as stored. A ceremony is taken with one
//! `DELETE … RETURNING` that also checks its purpose and expiry, so of two requests finishing the
//! same ceremony at most one gets its state, on any instance (SEC-55).

use crate::platform::db::Db;
use crate::platform::ids::{PasskeyId, SessionId, UnixTime, UserId};
use sqlx::{Any, Transaction};

/// One passkey as listed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PasskeyRow {
    /// Its id.
    pub id: PasskeyId,
    /// The name the user gave it.
    pub name: String,
    /// When it was added.
    pub created_at: UnixTime,
    /// When it last signed in or confirmed an action.
    pub last_used_at: Option<UnixTime>,
}

/// A passkey with its stored credential (webauthn-rs' `Passkey` as JSON).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredPasskey {
    /// Its id.
    pub id: PasskeyId,
    /// Its owner.
    pub user_id: UserId,
    /// The credential as JSON.
    pub passkey: String,
}

/// The passkeys of `user_id`, oldest first.
pub async fn list(db: &Db, user_id: UserId) -> Result<Vec<PasskeyRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, created_at, last_used_at FROM passkeys WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
}

/// The stored credentials of `user_id` (step-up and the exclusion list of a registration).
pub async fn credentials_of(db: &Db, user_id: UserId) -> Result<Vec<StoredPasskey>, sqlx::Error> {
    sqlx::query_as("SELECT id, user_id, passkey FROM passkeys WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(db.pool())
        .await
}

/// The passkey with `credential_id` of the enabled account whose user handle is `handle`,
/// inside `tx`.
pub async fn find_for_login_in(
    tx: &mut Transaction<'static, Any>,
    credential_id: &[u8],
    handle: &[u8],
) -> Result<Option<StoredPasskey>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.user_id, p.passkey FROM passkeys p JOIN users u ON u.id = p.user_id \
         WHERE p.credential_id = $1 AND u.webauthn_handle = $2 AND u.disabled_at IS NULL",
    )
    .bind(credential_id.to_vec())
    .bind(handle.to_vec())
    .fetch_optional(&mut **tx)
    .await
}

/// The user handle of `user_id`, if it has one.
pub async fn handle_of(db: &Db, user_id: UserId) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT webauthn_handle FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(handle,)| handle))
}

/// Gives `user_id` the user handle `handle` unless it has one; the handle it has afterwards.
pub async fn ensure_handle(
    db: &Db,
    user_id: UserId,
    handle: &[u8],
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query("UPDATE users SET webauthn_handle = $1 WHERE id = $2 AND webauthn_handle IS NULL")
        .bind(handle.to_vec())
        .bind(user_id)
        .execute(db.pool())
        .await?;
    handle_of(db, user_id).await
}

/// A passkey about to be stored.
#[derive(Debug)]
pub struct NewPasskey<'a> {
    /// The account.
    pub user_id: UserId,
    /// The credential id (unique across accounts).
    pub credential_id: &'a [u8],
    /// The credential as JSON.
    pub passkey: &'a str,
    /// Its name.
    pub name: &'a str,
}

/// Stores a passkey inside `tx` unless its credential id is registered already (to any
/// account): its id, or `None`.
pub async fn insert_in(
    tx: &mut Transaction<'static, Any>,
    new: NewPasskey<'_>,
    now: UnixTime,
) -> Result<Option<PasskeyId>, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO passkeys (user_id, credential_id, passkey, name, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (credential_id) DO NOTHING RETURNING id",
    )
    .bind(new.user_id)
    .bind(new.credential_id.to_vec())
    .bind(new.passkey)
    .bind(new.name)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
    .map(|row: Option<(PasskeyId,)>| row.map(|(id,)| id))
}

/// Records a use of passkey `id` inside `tx`, storing its updated credential when it changed
/// (signature counter, backup state).
pub async fn mark_used_in(
    tx: &mut Transaction<'static, Any>,
    id: PasskeyId,
    updated: Option<&str>,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE passkeys SET last_used_at = $1, passkey = COALESCE($2, passkey) WHERE id = $3",
    )
    .bind(now)
    .bind(updated)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes passkey `id` of `user_id` inside `tx` (owner in the `WHERE`); whether it existed.
pub async fn delete_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    id: PasskeyId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A ceremony to store.
#[derive(Debug)]
pub struct NewCeremony<'a> {
    /// SHA-256 of the handle the browser holds.
    pub handle_hash: &'a [u8],
    /// `register`, `login` or `step_up`.
    pub purpose: &'a str,
    /// The account (`None`: a sign-in that does not know it yet).
    pub user_id: Option<UserId>,
    /// The asking session (registration, step-up).
    pub session_id: Option<SessionId>,
    /// webauthn-rs' ceremony state as JSON (server-side only).
    pub state: &'a str,
    /// When it stops being accepted.
    pub expires_at: UnixTime,
}

/// Stores a ceremony in progress.
pub async fn insert_ceremony(
    db: &Db,
    new: NewCeremony<'_>,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webauthn_ceremonies (handle_hash, purpose, user_id, session_id, state, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new.handle_hash.to_vec())
    .bind(new.purpose)
    .bind(new.user_id)
    .bind(new.session_id)
    .bind(new.state)
    .bind(now)
    .bind(new.expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A ceremony taken for finishing.
#[derive(Debug, sqlx::FromRow)]
pub struct TakenCeremony {
    /// The account it was started for, if any.
    pub user_id: Option<UserId>,
    /// The session that started it, if any.
    pub session_id: Option<SessionId>,
    /// webauthn-rs' state as JSON.
    pub state: String,
}

/// Takes the live ceremony with `handle_hash` and `purpose` inside `tx`: deleted in the same
/// statement, so it finishes at most once (SEC-55); `None` when unknown, used or expired.
pub async fn take_ceremony_in(
    tx: &mut Transaction<'static, Any>,
    handle_hash: &[u8],
    purpose: &str,
    now: UnixTime,
) -> Result<Option<TakenCeremony>, sqlx::Error> {
    sqlx::query_as(
        "DELETE FROM webauthn_ceremonies WHERE handle_hash = $1 AND purpose = $2 \
         AND expires_at > $3 RETURNING user_id, session_id, state",
    )
    .bind(handle_hash.to_vec())
    .bind(purpose)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Deletes ceremonies that expired (housekeeping); how many.
pub async fn purge_ceremonies(db: &Db, now: UnixTime) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// [`credentials_of`] inside `tx`.
pub async fn credentials_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<Vec<StoredPasskey>, sqlx::Error> {
    sqlx::query_as("SELECT id, user_id, passkey FROM passkeys WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await
}
