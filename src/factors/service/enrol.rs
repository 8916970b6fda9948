//! Turning on an authenticator app: nothing is stored until a code from the app proves it was
//! set up; the confirming code's step is spent, the secret sealed, and the first factor comes
//! with a fresh set of recovery codes and the alert "Two-step sign-in was turned on", all in one
//! transaction.

use super::secrets_key;
use crate::alerts::service as alerts;
use crate::error::AppError;
use crate::factors::repository::{self, NewTotp};
use crate::factors::{crypto, recovery, totp};
use crate::platform::ids::UserId;
use crate::platform::state::AppState;

/// An authenticator app to turn on.
#[derive(Debug)]
pub struct TurnOn<'a> {
    /// The account.
    pub user_id: UserId,
    /// The secret shown to the user.
    pub secret: &'a [u8],
    /// A code the app shows for it now.
    pub code: &'a str,
}

/// Turns on an authenticator app for `turn_on.user_id` if its code is right: the recovery codes
/// to show once. A wrong code stores nothing ([`AppError::InvalidCode`]); an account that
/// already has an app is refused.
#[tracing::instrument(skip_all, fields(user = %turn_on.user_id))]
pub async fn turn_on_totp(state: &AppState, turn_on: TurnOn<'_>) -> Result<Vec<String>, AppError> {
    let key = secrets_key(state)?;
    let now = state.now();
    let step = totp::matching_step(turn_on.secret, turn_on.code, now)
        .ok_or(AppError::InvalidCode { app_only: true })?;
    let sealed = crypto::seal(key, &crypto::totp_aad(turn_on.user_id), turn_on.secret);
    let codes = recovery::new_set();
    let hashes = recovery::hashes(key, turn_on.user_id, &codes);
    let mut tx = state.db.begin_write().await?;
    // The account row first: a passkey added or removed meanwhile waits (`passkeys::remove_in`).
    crate::users::service::lock_in(&mut tx, turn_on.user_id).await?;
    let new = NewTotp {
        user_id: turn_on.user_id,
        secret_sealed: &sealed,
        step,
    };
    if !repository::insert_totp_in(&mut tx, new, now).await? {
        return Err(AppError::invalid(
            "An authenticator app is already turned on for this account.",
        ));
    }
    repository::replace_recovery_codes_in(&mut tx, turn_on.user_id, &hashes, now).await?;
    let queued = alerts::two_step_changed_in(&mut tx, state, turn_on.user_id, true).await?;
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    tracing::info!(event = "totp_enabled", "auth event");
    Ok(codes)
}

/// Replaces the recovery codes of `user_id` with a new set (the old one stops working); the
/// codes to show once.
#[tracing::instrument(skip_all, fields(user = %user_id))]
pub async fn regenerate_recovery_codes(
    state: &AppState,
    user_id: UserId,
) -> Result<Vec<String>, AppError> {
    let codes = recovery::new_set();
    let hashes = recovery::hashes(secrets_key(state)?, user_id, &codes);
    let mut tx = state.db.begin_write().await?;
    crate::users::service::lock_in(&mut tx, user_id).await?;
    repository::replace_recovery_codes_in(&mut tx, user_id, &hashes, state.now()).await?;
    tx.commit().await?;
    Ok(codes)
}
