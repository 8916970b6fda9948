//! Checking a second-step code inside the transaction that starts the session it proves: an
//! authenticator code is accepted once by advancing the factor's last used step (RFC 6238 §5.2),
//! a recovery code by marking it used; either way, the same statement refuses a parallel copy.

use super::secrets_key;
use crate::error::AppError;
use crate::factors::{crypto, recovery, repository, totp};
use crate::platform::ids::UserId;
use crate::platform::state::AppState;
use crate::sessions::model::Proof;
use sqlx::{Any, Transaction};

/// What `code` proves for `user_id`, spending it inside `tx`; `None` when it proves nothing
/// (wrong, used before, or out of its time window).
pub async fn verify_code_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    user_id: UserId,
    code: &str,
) -> Result<Option<Proof>, AppError> {
    let now = state.now();
    if totp::looks_like_code(code) {
        let Some(factor) = repository::totp_of_in(tx, user_id).await? else {
            return Ok(None);
        };
        let key = secrets_key(state)?;
        let secret = crypto::open(key, &crypto::totp_aad(user_id), &factor.secret_sealed)
            .map_err(AppError::internal)?;
        let Some(step) = totp::matching_step(&secret, code, now) else {
            return Ok(None);
        };
        let fresh = repository::advance_step_in(tx, factor.id, step, now).await?;
        return Ok(fresh.then_some(Proof::Totp));
    }
    let Some(normalised) = recovery::normalise(code) else {
        return Ok(None);
    };
    let hash = recovery::hash(secrets_key(state)?, user_id, &normalised);
    let used = repository::use_recovery_code_in(tx, user_id, &hash, now).await?;
    Ok(used.then_some(Proof::RecoveryCode))
}

/// Whether `code` is a code of the authenticator app of `user_id` not used before, spending its
/// time step inside `tx` (step-up): a recovery code never proves the app.
pub async fn verify_totp_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    user_id: UserId,
    code: &str,
) -> Result<bool, AppError> {
    if !totp::looks_like_code(code) {
        return Ok(false);
    }
    Ok(verify_code_in(tx, state, user_id, code).await? == Some(Proof::Totp))
}
