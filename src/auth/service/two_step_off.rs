//! Turning two-step sign-in off (issue 23): after step-up with the app itself, in one
//! transaction the app and its recovery codes go, the sessions that proved them drop to the
//! password alone, every other session ends when asked (checked by default on the page), and
//! the alert "Two-step sign-in was turned off" is queued (SEC-54).

use super::sign_out::end_others_in;
use crate::alerts::service as alerts;
use crate::error::AppError;
use crate::factors::service as factors;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service::{self as sessions, EndReason};

/// What the "Turn off" form asks.
#[derive(Debug, Clone, Copy)]
pub struct TurnOff {
    /// "Also sign out every other session".
    pub sign_out_others: bool,
}

/// Turns off the caller's authenticator app; how many other sessions ended. Needs a fresh
/// step-up ([`super::stepped_up`] first); an account without an app is refused.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn turn_off_totp(
    state: &AppState,
    caller: &Caller,
    turn_off: TurnOff,
) -> Result<u64, AppError> {
    if sessions::needs_reauth(state, caller) {
        return Err(sessions::reauth_refusal(caller));
    }
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    if !factors::remove_totp_in(&mut tx, state, caller.user_id).await? {
        tx.rollback().await?;
        return Err(AppError::invalid(
            "Two-step sign-in is already off for this account.",
        ));
    }
    let ended = if turn_off.sign_out_others {
        end_others_in(&mut tx, caller, EndReason::RevokedOthers, now)
            .await?
            .count
    } else {
        0
    };
    let queued = alerts::two_step_changed_in(&mut tx, state, caller.user_id, false).await?;
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(ended)
}
