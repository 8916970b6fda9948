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
    Added as PasskeyAdded, MAX_NAME_CHARS, Registration, list as list_passkeys, passkey_name,
    register_finish_in, register_start, remove_in as remove_passkey_in,
};
pub use pending::{
    PENDING_SECS, PendingStart, cancel_pending_in, find_pending, start_pending, take_pending_in,
};
pub use setup::{begin_setup, codes_ticket, confirm_setup, new_recovery_codes, overview};
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
        "SECRETS_KEY is not set, but accounts have authenticator apps whose secrets it seals, or \
         recovery codes it keys; set the key they were made with (32 random bytes in standard \
         base64)"
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
    // A passkey account's recovery codes are keyed with it too: without it none would work.
    if config.secrets_key.is_none() && repository::any_recovery_codes(db).await? {
        return Err(UnusableSecretsKey::Missing.into());
    }
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
    crate::users::service::lock_in(tx, user_id).await?;
    if !repository::delete_totp_in(tx, user_id).await? {
        return Ok(false);
    }
    // The recovery codes stay while a passkey still needs them as its fallback.
    if repository::factors_of_in(tx, user_id).await?.passkeys == 0 {
        repository::delete_recovery_codes_in(tx, user_id).await?;
    }
    sessions::drop_second_factor_in(tx, user_id, state.now()).await?;
    // A password step waiting for a code from the app that is gone cannot finish.
    repository::delete_pending_of_in(tx, user_id).await?;
    tracing::info!(event = "totp_disabled", user_id = %user_id, "auth event");
    Ok(true)
}

pub use crate::factors::repository::FactorCounts;

impl FactorCounts {
    /// Whether signing in needs a second step: with an authenticator app, or with a passkey
    /// backed by recovery codes on a server that offers passkeys (`passkeys_on`). Without recovery
    /// codes a required passkey would lock the account out with a lost phone, and on a server
    /// that no longer offers passkeys (no `PUBLIC_URL`) it could not be used at all, so then a
    /// passkey counts for nothing at sign-in (SEC-59).
    pub fn two_step(&self, passkeys_on: bool) -> bool {
        self.totp > 0 || (passkeys_on && self.passkeys > 0 && self.recovery_codes > 0)
    }

    /// What can finish the second step, as the 401 `second_step_required` names them:
    /// `totp`, `webauthn` (when this server offers passkeys), `recovery_code` (while one is left).
    pub fn methods(&self, passkeys_on: bool) -> Vec<&'static str> {
        let mut methods = Vec::new();
        if self.totp > 0 {
            methods.push("totp");
        }
        if self.passkeys > 0 && passkeys_on {
            methods.push("webauthn");
        }
        if self.recovery_left > 0 {
            methods.push("recovery_code");
        }
        methods
    }
}

/// The second factors of `user_id`.
pub async fn factors_of(state: &AppState, user_id: UserId) -> Result<FactorCounts, AppError> {
    Ok(repository::factors_of(&state.db, user_id).await?)
}

/// Whether `user_id` must pass a second step to sign in ([`FactorCounts::two_step`]), read on
/// `conn` (a connection held for several reads, `Db::connection`).
pub async fn two_step_on(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    user_id: UserId,
) -> Result<bool, AppError> {
    Ok(repository::factors_of_in(conn, user_id)
        .await?
        .two_step(state.webauthn.is_some()))
}

/// "Sign out sessions without two-step": ends the caller's sessions that proved one factor only
/// (their own too with `confirm_current`). Only for an account with two-step sign-in: without
/// it, every session proved the password alone.
pub async fn sign_out_without_two_step(
    state: &AppState,
    caller: &Caller,
    confirm_current: bool,
) -> Result<Ended, AppError> {
    let two_step = two_step_on(state, &mut *state.db.connection().await?, caller.user_id).await?;
    if !two_step {
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
