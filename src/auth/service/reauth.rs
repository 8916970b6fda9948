//! Confirming the password on a signed-in session (re-authentication), budgeted per session with
//! an account ceiling no other session can spend for the owner (SEC-17, SEC-41).

use super::login::reserve;
use crate::error::AppError;
use crate::platform::failure_budget::LimitError;
use crate::platform::{password::MAX_PASSWORD_BYTES, state::AppState};
use crate::sessions::caller::Caller;
use crate::sessions::service as sessions;
use crate::users::service as users;

/// Failed re-authentications one session may make before the account ceiling applies to it.
const REAUTH_CEILING_GRACE: i64 = 3;

/// Checks the caller's password and records the fresh authentication on the session (SEC-17).
///
/// Budgeted per session (`reauth:session:ID`, `LOGIN_MAX_FAILURES` in the window), never per
/// account alone: a stolen session that enters wrong passwords spends its own budget, not the
/// owner's (SEC-41). An account ceiling (`reauth:account:ID`, three sessions' worth) bounds an
/// intruder with several sessions; it applies only to a session that has itself failed
/// [`REAUTH_CEILING_GRACE`] times, so the owner's session is never refused because others
/// failed. Each failure is counted on the session row for the owner's page.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn confirm_password(
    state: &AppState,
    caller: &Caller,
    password: String,
) -> Result<(), AppError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::InvalidCredentials);
    }
    let now = state.now();
    let session_key = format!("reauth:session:{}", caller.session_id);
    let attempt = reserve(state, vec![session_key.clone()]).await?;
    // Every failure counts toward the account ceiling; a full ceiling refuses only a session
    // that has failed the grace times itself (read only then: the common path skips it).
    let ceiling_key = format!("reauth:account:{}", caller.user_id);
    let ceiling = match state.reauth_ceiling.reserve(vec![ceiling_key], now).await {
        Ok(ceiling) => Ok(Some(ceiling)),
        Err(LimitError::Refused { retry_after }) => {
            match state.login_limiter.failures(&session_key, now).await {
                Ok(own) if own < REAUTH_CEILING_GRACE => Ok(None),
                Ok(_) => Err(AppError::RateLimited { retry_after }),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(AppError::from(e)),
    };
    let ceiling = match ceiling {
        Ok(ceiling) => ceiling,
        Err(e) => {
            attempt.succeeded().await;
            return Err(e);
        }
    };
    let user = users::find_by_id(&state.db, caller.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !state
        .hasher
        .verify(password, Some(user.password_hash))
        .await?
    {
        attempt.failed().await;
        if let Some(ceiling) = ceiling {
            ceiling.failed().await;
        }
        if let Err(e) = sessions::record_reauth_failure(state, caller).await {
            tracing::warn!(error = %e, "could not count a failed re-authentication");
        }
        tracing::info!(event = "reauth_failed", actor = %caller.public_id, "auth event");
        return Err(AppError::InvalidCredentials);
    }
    attempt.succeeded().await;
    if let Some(ceiling) = ceiling {
        ceiling.succeeded().await;
    }
    sessions::mark_authenticated(&state.db, caller, now).await?;
    Ok(())
}

/// The caller after an optional password confirmation: with a password, checked like
/// [`confirm_password`] and the returned caller counts as just signed in; without, unchanged.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn reauthenticated(
    state: &AppState,
    caller: Caller,
    password: Option<String>,
) -> Result<Caller, AppError> {
    match password.filter(|p| !p.is_empty()) {
        Some(password) => {
            confirm_password(state, &caller, password).await?;
            Ok(Caller {
                authenticated_at: state.now(),
                ..caller
            })
        }
        None => Ok(caller),
    }
}
