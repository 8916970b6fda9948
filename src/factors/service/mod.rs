//! Second factors' use cases: turning on an authenticator app (with the first set of recovery
//! codes), checking a code inside the transaction that starts the session it proves, the pending
//! password step, and the start-up check of `SECRETS_KEY`.

mod assertion;
pub mod ceremony;
mod enrol;
mod passkeys;
mod pending;
mod setup;
mod verify;

pub use assertion::{Asserted, login_start, login_verify_in, step_up_finish, step_up_start};
pub use ceremony::purge_ceremonies;
pub use enrol::{TurnOn, regenerate_recovery_codes, turn_on_totp};
pub use passkeys::{
    MAX_NAME_CHARS, Registration, list as list_passkeys, passkey_name, register_finish_in,
    register_start, remove_in as remove_passkey_in,
};
pub use pending::{
    PENDING_SECS, PendingStart, cancel_pending_in, find_pending, start_pending, take_pending_in,
};
pub use setup::{begin_setup, confirm_setup, new_recovery_codes, overview};
pub use verify::{verify_code_in, verify_totp_in};

/// A pending sign-in, as found or taken.
pub use crate::factors::repository::PendingRow;

/// Deletes pending sign-ins that expired (housekeeping).
pub use crate::factors::repository::purge_pending;

use crate::error::AppError;
use crate::factors::repository;
use crate::platform::config::Config;
use crate::platform::db::Db;
use crate::platform::ids::UserId;
use crate::platform::secrets_key::SecretsKey;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service::{self as sessions, Ended};

/// Start-up refused: factors exist but no key can open them.
#[derive(Debug, thiserror::Error)]
pub enum UnusableSecretsKey {
    /// No key at all.
    #[error(
        "SECRETS_KEY is not set, but accounts have authenticator apps whose secrets it seals; set \
         the key they were sealed with (32 random bytes in standard base64)"
    )]
    Missing,
    /// A well-formed key that is not the one the stored secrets were sealed with.
    #[error(
        "SECRETS_KEY does not open the authenticator-app secrets stored in the database: it is not \
         the key they were sealed with (nothing was changed; start again with that key)"
    )]
    Wrong,
}

/// Refuses to start while any account has a second factor and `SECRETS_KEY` is missing or is not
/// the key that sealed the newest stored secret: the factors could not be checked and their
/// owners could not sign in. Without factors it only warns.
pub async fn check_key_at_start(db: &Db, config: &Config) -> anyhow::Result<()> {
    let newest = repository::newest_sealed(db).await?;
    match (&config.secrets_key, newest) {
        (Some(key), Some((user_id, sealed))) => {
            crate::factors::crypto::open(key, &crate::factors::crypto::totp_aad(user_id), &sealed)
                .map_err(|_| UnusableSecretsKey::Wrong)?;
        }
        (Some(_), None) => {}
        (None, Some(_)) => return Err(UnusableSecretsKey::Missing.into()),
        (None, None) => tracing::warn!(
            "SECRETS_KEY is not set: authenticator apps are unavailable (make a key with: openssl \
             rand -base64 32)"
        ),
    }
    Ok(())
}

/// Turns off the authenticator app of `user_id` inside `tx`: the app and the recovery codes go,
/// and the account's sessions that proved them drop to the password alone. Whether it had an
/// app (the caller rolls back otherwise).
pub async fn remove_totp_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    user_id: UserId,
) -> Result<bool, AppError> {
    if !repository::delete_totp_in(tx, user_id).await? {
        return Ok(false);
    }
    sessions::drop_second_factor_in(tx, user_id, state.now()).await?;
    // A password step waiting for a code from the app that is gone cannot finish.
    repository::delete_pending_of_in(tx, user_id).await?;
    tracing::info!(event = "totp_disabled", user_id = %user_id, "auth event");
    Ok(true)
}

/// Whether `user_id` must pass a second step to sign in.
pub async fn has_factor(state: &AppState, user_id: UserId) -> Result<bool, AppError> {
    Ok(repository::has_factor(&state.db, user_id).await?)
}

/// "Sign out sessions without two-step": ends the caller's sessions that proved one factor only
/// (their own too with `confirm_current`). Only for an account with two-step sign-in: without
/// it, every session proved the password alone.
pub async fn sign_out_without_two_step(
    state: &AppState,
    caller: &Caller,
    confirm_current: bool,
) -> Result<Ended, AppError> {
    if !repository::has_factor(&state.db, caller.user_id).await? {
        return Err(AppError::invalid(
            "Turn on two-step sign-in first: until then every session signs in with the password alone.",
        ));
    }
    sessions::sign_out_weak(state, caller, confirm_current).await
}

/// The key that seals secrets, or the error saying authenticator apps are unavailable.
fn secrets_key(state: &AppState) -> Result<&SecretsKey, AppError> {
    state.config.secrets_key.as_ref().ok_or_else(|| {
        AppError::invalid(
            "Authenticator apps are unavailable on this server: it has no SECRETS_KEY.",
        )
    })
}
