//! Proofs on a session: whether a sensitive action needs a fresh one (the password, and the
//! authenticator app when the account has one: step-up at its strongest factor), recording one
//! (or a failed one), dropping a removed factor, and the token rotation of a password change.

use crate::error::AppError;
use crate::platform::ids::{SessionId, UnixTime, UserId};
use crate::platform::{db::Db, state::AppState};
use crate::sessions::caller::Caller;
use crate::sessions::model::Proof;
use crate::sessions::repository::{self, LaterFactor, LaterProof, Proved};
use crate::sessions::token::SessionToken;
use sqlx::{Any, Transaction};

/// Whether a sensitive action needs a fresh proof first: the password's is older than the
/// re-auth window (SEC-17), or the account has an authenticator app and this session has not
/// proved it within the window (SEC-53).
pub fn needs_reauth(state: &AppState, caller: &Caller) -> bool {
    needs_password(state, caller) || needs_totp(state, caller) || needs_passkey(state, caller)
}

/// Whether the last password proof of this session is older than the re-auth window. An
/// account with a passkey steps up with the passkey instead (SEC-57).
pub fn needs_password(state: &AppState, caller: &Caller) -> bool {
    !caller.has_passkey && !within_window(state, Some(caller.authenticated_at))
}

/// Whether the account has an authenticator app that this session has not proved within the
/// re-auth window (a recovery code never counts). An account with a passkey steps up with the
/// passkey instead.
pub fn needs_totp(state: &AppState, caller: &Caller) -> bool {
    !caller.has_passkey && caller.has_totp && !within_window(state, caller.totp_proved_at)
}

/// Whether the account has a passkey (its strongest factor) that this session has not proved
/// within the re-auth window (SEC-57).
pub fn needs_passkey(state: &AppState, caller: &Caller) -> bool {
    caller.has_passkey && !within_window(state, caller.passkey_proved_at)
}

fn within_window(state: &AppState, at: Option<UnixTime>) -> bool {
    at.is_some_and(|at| state.now().secs_since(at) <= state.config.reauth_window.as_secs() as i64)
}

/// The refusal of a sensitive action that [`needs_reauth`]: the password alone, or step-up with
/// the authenticator app when the account has one.
pub fn reauth_refusal(caller: &Caller) -> AppError {
    if caller.has_passkey {
        AppError::StepUpPasskey
    } else if caller.has_totp {
        AppError::StepUpRequired
    } else {
        AppError::ReauthRequired
    }
}

/// Records inside `tx` that the caller's session just proved `factor` (`how`).
pub async fn mark_factor_proved_in(
    tx: &mut Transaction<'static, Any>,
    caller: &Caller,
    now: UnixTime,
    factor: LaterFactor,
    how: LaterProof,
) -> Result<(), sqlx::Error> {
    repository::mark_factor_proved_in(tx, caller.session_id, now, factor, how).await
}

/// The account's last passkey was removed inside `tx`: no session counts as having proved one,
/// and the sessions that signed in with one drop to level 1. How many dropped.
pub async fn drop_passkey_proofs_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    repository::drop_passkey_proofs_in(tx, user_id, now).await
}

/// The account's second factor was removed inside `tx`: its sessions that proved it drop to the
/// password alone (level 1). How many changed.
pub async fn drop_second_factor_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    repository::drop_second_factor_in(tx, user_id, now).await
}
/// Replaces the token of the caller's session inside `tx` (password change), marking it freshly
/// authenticated. `None` if the session ended meanwhile.
pub async fn rotate_token_in(
    tx: &mut Transaction<'static, Any>,
    caller: &Caller,
    now: UnixTime,
) -> Result<Option<SessionToken>, sqlx::Error> {
    repository::rotate_token_in(tx, caller.session_id, now).await
}

/// When the live session `session_id` last proved each factor and what it proved at sign-in
/// (`None` if it has ended): what a CLI session approved from it inherits, so it is never
/// fresher or stronger than its approver.
pub async fn live_authenticated_at_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    session_id: SessionId,
) -> Result<Option<(Proved, Vec<Proof>)>, sqlx::Error> {
    let live = repository::live_authenticated_at_in(tx, session_id, super::live_now(state)).await?;
    Ok(live.map(|(at, factors)| (at, serde_json::from_str(&factors).unwrap_or_default())))
}

/// Counts a failed re-authentication on the caller's session (the owner's page shows it).
pub async fn record_reauth_failure(state: &AppState, caller: &Caller) -> Result<(), sqlx::Error> {
    repository::record_reauth_failure(&state.db, caller.session_id, state.now()).await
}

/// Records that the caller just proved the password again.
pub async fn mark_authenticated(
    db: &Db,
    caller: &Caller,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    repository::mark_authenticated(db, caller.session_id, now).await
}
