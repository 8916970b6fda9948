//! Confirming proofs on a signed-in session before a sensitive action (re-authentication, and
//! step-up at the account's strongest factor): the password, and a code from the authenticator
//! app when the account has one. Both are budgeted per session with an account ceiling no other
//! session can spend for the owner (SEC-17, SEC-41, SEC-53).

use super::login::reserve;
use crate::error::AppError;
use crate::factors::service as factors;
use crate::platform::failure_budget::{Attempt, LimitError};
use crate::platform::{password::MAX_PASSWORD_BYTES, state::AppState};
use crate::sessions::caller::Caller;
use crate::sessions::service as sessions;
use crate::users::service as users;

/// Failed re-authentications one session may make before the account ceiling applies to it.
const REAUTH_CEILING_GRACE: i64 = 3;
/// Longest code accepted.
const MAX_CODE_BYTES: usize = 64;

/// Proofs sent with a sensitive action (form fields `password` and `code`).
#[derive(Debug, Default)]
pub struct Reauth {
    /// The account password.
    pub password: Option<String>,
    /// A code from the authenticator app (a recovery code is refused).
    pub code: Option<String>,
}

/// A reserved re-authentication attempt: the session's budget and, unless the session may still
/// fail past a full account ceiling, the ceiling's.
struct Reserved<'a> {
    session: Attempt<'a>,
    ceiling: Option<Attempt<'a>>,
}

impl Reserved<'_> {
    async fn failed(self, state: &AppState, caller: &Caller) {
        self.session.failed().await;
        if let Some(ceiling) = self.ceiling {
            ceiling.failed().await;
        }
        if let Err(e) = sessions::record_reauth_failure(state, caller).await {
            tracing::warn!(error = %e, "could not count a failed re-authentication");
        }
        tracing::info!(event = "reauth_failed", actor = %caller.public_id, "auth event");
    }

    async fn succeeded(self) {
        self.session.succeeded().await;
        if let Some(ceiling) = self.ceiling {
            ceiling.succeeded().await;
        }
    }
}

/// Reserves one re-authentication attempt of the caller's session.
///
/// Budgeted per session (`reauth:session:ID`, `LOGIN_MAX_FAILURES` in the window), never per
/// account alone: a stolen session that enters wrong passwords or codes spends its own budget,
/// not the owner's (SEC-41). An account ceiling (`reauth:account:ID`, three sessions' worth)
/// bounds an intruder with several sessions; it applies only to a session that has itself failed
/// [`REAUTH_CEILING_GRACE`] times, so the owner's session is never refused because others
/// failed.
async fn reserve_attempt<'a>(
    state: &'a AppState,
    caller: &Caller,
) -> Result<Reserved<'a>, AppError> {
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
    match ceiling {
        Ok(ceiling) => Ok(Reserved {
            session: attempt,
            ceiling,
        }),
        Err(e) => {
            attempt.succeeded().await;
            Err(e)
        }
    }
}

/// Checks the caller's password and records the fresh authentication on the session (SEC-17).
/// Each failure is counted on the session row for the owner's page.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn confirm_password(
    state: &AppState,
    caller: &Caller,
    password: String,
) -> Result<(), AppError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::InvalidCredentials);
    }
    let attempt = reserve_attempt(state, caller).await?;
    let user = users::find_by_id(&state.db, caller.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !state
        .hasher
        .verify(password, Some(user.password_hash))
        .await?
    {
        attempt.failed(state, caller).await;
        return Err(AppError::InvalidCredentials);
    }
    attempt.succeeded().await;
    sessions::mark_authenticated(&state.db, caller, state.now()).await?;
    Ok(())
}

/// Checks a code from the account's authenticator app and records on the session that it proved
/// the app (SEC-53). The code's time step is spent with the same compare-and-set as at sign-in,
/// so a code is accepted once (RFC 6238 §5.2); a recovery code is refused. Failures spend the
/// same budgets as wrong re-authentication passwords.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn confirm_code(state: &AppState, caller: &Caller, code: &str) -> Result<(), AppError> {
    if code.len() > MAX_CODE_BYTES {
        return Err(AppError::InvalidCode { app_only: true });
    }
    let attempt = reserve_attempt(state, caller).await?;
    let mut tx = state.db.begin_write().await?;
    if !factors::verify_totp_in(&mut tx, state, caller.user_id, code).await? {
        tx.rollback().await?;
        attempt.failed(state, caller).await;
        return Err(AppError::InvalidCode { app_only: true });
    }
    sessions::mark_factor_proved_in(
        &mut tx,
        caller,
        state.now(),
        sessions::LaterFactor::Totp,
        sessions::LaterProof::StepUp,
    )
    .await?;
    tx.commit().await?;
    attempt.succeeded().await;
    tracing::info!(event = "step_up_totp", actor = %caller.public_id, "auth event");
    Ok(())
}

/// The caller after the proofs sent with a sensitive action: a password is checked like
/// [`confirm_password`], a code (when the account has an authenticator app) like
/// [`confirm_code`], and the returned caller counts as having just proved them. Without proofs,
/// unchanged; whether that is enough is the action's rule ([`sessions::needs_reauth`]).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn reauthenticated(
    state: &AppState,
    caller: Caller,
    proofs: Reauth,
) -> Result<Caller, AppError> {
    let mut caller = caller;
    if let Some(password) = proofs.password.filter(|p| !p.is_empty()) {
        confirm_password(state, &caller, password).await?;
        caller.authenticated_at = state.now();
    }
    let code = proofs.code.filter(|c| !c.trim().is_empty());
    if let Some(code) = code.filter(|_| caller.has_totp) {
        confirm_code(state, &caller, &code).await?;
        caller.totp_proved_at = Some(state.now());
    }
    Ok(caller)
}

/// The caller ready for a sensitive action: when the session's proofs are older than the
/// re-auth window, the ones sent are checked ([`reauthenticated`]) and must make up for it;
/// otherwise [`AppError::ReauthRequired`] (no authenticator app) or
/// [`AppError::StepUpRequired`]. Proofs sent to a fresh session are ignored.
pub async fn stepped_up(
    state: &AppState,
    caller: &Caller,
    proofs: Reauth,
) -> Result<Caller, AppError> {
    if !sessions::needs_reauth(state, caller) {
        return Ok(caller.clone());
    }
    let proofs = Reauth {
        password: proofs
            .password
            .filter(|_| sessions::needs_password(state, caller)),
        code: proofs.code.filter(|_| sessions::needs_totp(state, caller)),
    };
    let caller = reauthenticated(state, caller.clone(), proofs).await?;
    if sessions::needs_reauth(state, &caller) {
        return Err(sessions::reauth_refusal(&caller));
    }
    Ok(caller)
}
