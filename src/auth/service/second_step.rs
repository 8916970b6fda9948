//! The second step of a sign-in: the pending token from the password step and a code from the
//! authenticator app or a recovery code. The pending sign-in is taken, the code spent and the
//! session started in one transaction; a wrong code rolls it all back and counts as a failure in
//! the same budgets as a wrong password, plus one per account for codes (SEC-48, SEC-49).

use super::finish::{Finish, finish_in};
use super::login::{SignedIn, reserve};
use crate::error::AppError;
use crate::factors::service::{self as factors, PendingRow};
use crate::sessions::caller::{Caller, Client};
use crate::sessions::model::Proof;
use crate::sessions::token::SessionToken;
use crate::users::service as users;

/// Longest code accepted (a recovery code with blanks is far shorter).
const MAX_CODE_BYTES: usize = 64;

/// A code sent to finish a pending sign-in.
#[derive(Debug)]
pub struct SecondStep<'a> {
    /// The pending sign-in's token (cookie or the `pending` field).
    pub pending: &'a str,
    /// An authenticator code (6 digits) or a recovery code.
    pub code: &'a str,
}

/// Finishes a sign-in whose password proved right with `step.code`, ending the session the
/// browser had (`previous`). An unknown, expired or
/// used pending token is [`AppError::ExpiredToken`]; a wrong or reused code is
/// [`AppError::InvalidCode`] and leaves the pending sign-in usable until it expires.
#[tracing::instrument(skip_all)]
pub async fn complete_second_step<P: Future<Output = Option<Caller>>>(
    state: &crate::platform::state::AppState,
    client: &Client,
    previous: impl FnOnce() -> P,
    step: SecondStep<'_>,
) -> Result<SignedIn, AppError> {
    if step.code.len() > MAX_CODE_BYTES {
        return Err(AppError::InvalidCode { app_only: false });
    }
    let token = SessionToken::parse(step.pending).ok_or(AppError::ExpiredToken)?;
    let pending = factors::find_pending(state, &token)
        .await?
        .ok_or(AppError::ExpiredToken)?;
    let keys = vec![
        format!("ip:{}", client.rate_key()),
        pending.budget_key.clone(),
        format!("code:user:{}", pending.user_id),
    ];
    let attempt = reserve(state, keys).await.inspect_err(|_| {
        tracing::warn!(event = "code_rate_limited", ip = ?client.ip, "auth event");
    })?;
    let user = users::find_by_id(&state.db, pending.user_id).await?;
    if user.is_none_or(|u| u.disabled_at.is_some()) {
        attempt.succeeded().await;
        return Err(AppError::ExpiredToken);
    }
    // The browser's previous session is looked up (and, when idle or expired, ended) before the
    // write transaction: on SQLite that lookup may write on another connection, which would wait
    // for this transaction's lock.
    let previous = previous().await;
    let mut tx = state.db.begin_write().await?;
    let Some(pending) = factors::take_pending_in(&mut tx, state, &token).await? else {
        // Taken by a parallel request, or expired meanwhile: not a guess.
        attempt.succeeded().await;
        return Err(AppError::ExpiredToken);
    };
    let Some(proof) = factors::verify_code_in(&mut tx, state, pending.user_id, step.code).await?
    else {
        tx.rollback().await?;
        attempt.failed().await;
        tracing::info!(event = "code_failed", ip = ?client.ip, "auth event");
        return Err(AppError::InvalidCode { app_only: false });
    };
    let finish = Finish {
        user_id: pending.user_id,
        known_device: pending.device_id,
        client,
        proofs: &[Proof::Password, proof],
        method: "password",
    };
    let signed_in = finish_in(tx, state, finish, previous.as_ref()).await?;
    attempt.succeeded().await;
    forget_password_step(state, &pending).await;
    Ok(signed_in)
}

/// The password step of `pending` was the owner's after all (its second step completed, with a
/// code or a passkey): its budgets forget it; the address keeps counting other people's failures
/// and gets back only this one (SEC-49).
pub(super) async fn forget_password_step(
    state: &crate::platform::state::AppState,
    pending: &PendingRow,
) {
    state.login_limiter.reset(&pending.budget_key).await;
    if !pending.ip_key.is_empty() {
        state
            .login_limiter
            .forgive(&pending.ip_key, pending.password_at)
            .await;
    }
}
