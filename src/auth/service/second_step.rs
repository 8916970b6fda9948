//! The second step of a sign-in: the pending token from the password step and a code from the
//! authenticator app or a recovery code. The pending sign-in is taken, the code spent and the
//! session started in one transaction; a wrong code rolls it all back and counts as a failure in
//! the same budgets as a wrong password, plus one per account for codes (SEC-48, SEC-49).

use super::finish::{Finish, finish_in};
use super::login::{SignedIn, reserve};
use crate::error::AppError;
use crate::factors::service as factors;
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
/// browser had (`previous`, looked up only once the code proved right). An unknown, expired or
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
        return Err(AppError::InvalidCode);
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
        return Err(AppError::InvalidCode);
    };
    let previous = previous().await;
    let finish = Finish {
        user_id: pending.user_id,
        known_device: pending.device_id,
        client,
        proofs: &[Proof::Password, proof],
        method: "password",
    };
    let signed_in = finish_in(tx, state, finish, previous.as_ref()).await?;
    attempt.succeeded().await;
    state.login_limiter.reset(&pending.budget_key).await;
    Ok(signed_in)
}
