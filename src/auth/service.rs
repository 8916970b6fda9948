//! Everything that involves a password or ends the caller's own sign-in: login, the development
//! login, logout, re-authentication, "sign out all other sessions" (which may ask for the password)
//! and changing the password. Adapters call these; these call the users and sessions services.
//!
//! Password attempts are reserved in per-address and per-account failure budgets *before* Argon2
//! runs and count as failures until the password proves otherwise, so parallel guesses cannot all
//! be evaluated against one budget (SEC-27, SEC-29; `platform::failure_budget`), whichever
//! instances they reach (SEC-43).

use crate::alerts::service as alerts;
use crate::auth::devices;
use crate::cli_grants::service as cli_grants;
use crate::error::AppError;
use crate::platform::failure_budget::{Attempt, LimitError};
use crate::platform::{password::MAX_PASSWORD_BYTES, state::AppState};
use crate::sessions::caller::{Caller, Client};
use crate::sessions::model::SessionKind;
use crate::sessions::repository::CreatedSession;
use crate::sessions::service::{self as sessions, EndReason, Ended, Start};
use crate::sessions::token::SessionToken;
use crate::users::{email::Email, service as users};
use sqlx::{Any, Transaction};

/// Email of the development demo account.
pub const DEMO_EMAIL: &str = "demo@example.com";

/// Reserves a password attempt in the failure budgets of `keys` before any hashing (SEC-29).
async fn reserve(state: &AppState, keys: Vec<String>) -> Result<Attempt<'_>, AppError> {
    state
        .login_limiter
        .reserve(keys, state.now())
        .await
        .map_err(AppError::from)
}

/// A browser sign-in: the new session, and a device token when this browser was not yet known
/// for the account (the adapter sets it as the device cookie).
#[derive(Debug)]
pub struct SignedIn {
    /// The new session.
    pub session: CreatedSession,
    /// A fresh device token for a browser not known for this account before.
    pub new_device: Option<SessionToken>,
}

/// Signs in with email and password and starts a browser session, ending the one the browser
/// already had (`previous`, looked up only once the password proved right, SEC-04). Failures are
/// budgeted per address and, for a browser that presents a device cookie of this account, per
/// device; otherwise per account — so spending the account's budget does not lock the owner out
/// of a browser they signed in with before.
pub async fn login<P: Future<Output = Option<Caller>>>(
    state: &AppState,
    client: &Client,
    previous: impl FnOnce() -> P,
    device: Option<&SessionToken>,
    email: &str,
    password: String,
) -> Result<SignedIn, AppError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::invalid(format!(
            "The password must be at most {MAX_PASSWORD_BYTES} bytes."
        )));
    }
    let email = Email::parse(email).map_err(AppError::invalid)?;
    let user = users::find_by_email(&state.db, email.as_str()).await?;
    let known_device = match (device, &user) {
        (Some(device), Some(user)) => devices::find(&state.db, device, user.id).await?,
        _ => None,
    };
    let budget_key = match known_device {
        Some(id) => format!("device:{id}"),
        None => format!("account:{}", email.as_str()),
    };
    let keys = vec![format!("ip:{}", client.rate_key()), budget_key.clone()];
    let attempt = reserve(state, keys).await.inspect_err(|_| {
        tracing::warn!(event = "login_rate_limited", ip = ?client.ip, "auth event");
    })?;
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let verified = state.hasher.verify(password, phc).await?;
    let user = match user {
        Some(user) if verified && user.disabled_at.is_none() => user,
        _ => {
            attempt.failed().await;
            tracing::info!(event = "login_failed", ip = ?client.ip, "auth event");
            return Err(AppError::InvalidCredentials);
        }
    };
    attempt.succeeded().await;
    state.login_limiter.reset(&budget_key).await;
    let now = state.now();
    let previous = previous().await;
    let mut tx = state.db.begin_write().await?;
    // A device revoked since the lookup above counts as a new browser (SEC-40).
    let known_device = match known_device {
        Some(id) if devices::touch_in(&mut tx, id, now).await? => Some(id),
        _ => None,
    };
    let (device_id, new_device) = match known_device {
        Some(id) => (id, None),
        None => {
            let (id, token) = devices::remember_in(&mut tx, user.id, now).await?;
            (id, Some(token))
        }
    };
    let start = Start {
        user_id: user.id,
        kind: SessionKind::Web,
        sign_in_method: "password",
        client,
        authenticated_at: None,
        device_id: Some(device_id),
    };
    let session = sessions::sign_in_in(&mut tx, state, start, previous.as_ref()).await?;
    let sign_in = alerts::SignIn {
        user_id: user.id,
        session: &session,
        kind: SessionKind::Web,
        client,
        known_client: known_device.is_some(),
    };
    let queued = alerts::signed_in_in(&mut tx, state, sign_in).await?;
    crate::platform::failpoint::hit("sign_in_before_commit");
    tx.commit().await?;
    crate::platform::failpoint::hit("sign_in_after_commit");
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(SignedIn {
        session,
        new_device,
    })
}

/// `DEV_LOGIN=true` only: signs in to the demo account, creating it with a password nobody
/// knows on first use.
pub async fn dev_login<P: Future<Output = Option<Caller>>>(
    state: &AppState,
    client: &Client,
    previous: impl FnOnce() -> P,
) -> Result<CreatedSession, AppError> {
    let user_id = match users::find_by_email(&state.db, DEMO_EMAIL).await? {
        Some(user) => user.id,
        None => {
            let secret = SessionToken::generate();
            let hash = state.hasher.hash(secret.expose().to_owned()).await?;
            match users::create(&state.db, DEMO_EMAIL, &hash, state.now()).await {
                Ok(id) => id,
                Err(crate::users::service::CreateUserError::Duplicate) => {
                    users::find_by_email(&state.db, DEMO_EMAIL)
                        .await?
                        .ok_or_else(|| {
                            AppError::internal("demo user vanished after a duplicate insert")
                        })?
                        .id
                }
                Err(crate::users::service::CreateUserError::Db(e)) => return Err(e.into()),
            }
        }
    };
    let start = Start {
        user_id,
        kind: SessionKind::Web,
        sign_in_method: "dev",
        client,
        authenticated_at: None,
        device_id: None,
    };
    let previous = previous().await;
    sessions::sign_in(state, start, previous.as_ref()).await
}

/// Ends the caller's own session (SEC-11).
pub async fn logout(state: &AppState, caller: &Caller) -> Result<Ended, AppError> {
    sessions::revoke(state, caller, &caller.public_id, true).await
}

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
    let own_failures = state.login_limiter.failures(&session_key, now).await?;
    let attempt = reserve(state, vec![session_key]).await?;
    // Every failure counts toward the account ceiling; a full ceiling refuses only a session
    // that has failed the grace times itself.
    let ceiling_key = format!("reauth:account:{}", caller.user_id);
    let ceiling = match state.reauth_ceiling.reserve(vec![ceiling_key], now).await {
        Ok(ceiling) => Some(ceiling),
        Err(LimitError::Refused { .. }) if own_failures < REAUTH_CEILING_GRACE => None,
        Err(e) => {
            attempt.succeeded().await;
            return Err(e.into());
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

/// "Sign out all other sessions": asks for the password again when the last sign-in on this
/// session is older than the re-auth window (SEC-17), then ends every other session.
pub async fn sign_out_others(
    state: &AppState,
    caller: &Caller,
    password: Option<String>,
) -> Result<Ended, AppError> {
    if sessions::needs_reauth(state, caller) {
        let password = password
            .filter(|p| !p.is_empty())
            .ok_or(AppError::ReauthRequired)?;
        confirm_password(state, caller, password).await?;
    }
    let mut tx = state.db.begin_write().await?;
    let ended = end_others_in(&mut tx, caller, EndReason::RevokedOthers, state.now()).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Ends every session of the caller's account but its own inside `tx`, and denies the account's
/// approved but unredeemed CLI grants, which would otherwise become new sessions right after:
/// what "sign out all other sessions" and a password change share.
///
/// Every browser but the caller's is forgotten too (SEC-40): a device cookie kept by whoever held
/// one of those sessions no longer makes its browser known, so its next sign-in alerts the owner
/// and is budgeted under the account. The account row is locked first (`users::lock_in`), so a
/// CLI grant redeemed at the same moment either commits before (and is ended here) or sees its
/// approver ended (PostgreSQL; SQLite's write transactions are serial anyway).
async fn end_others_in(
    tx: &mut Transaction<'static, Any>,
    caller: &Caller,
    reason: EndReason,
    now: i64,
) -> Result<Ended, sqlx::Error> {
    users::lock_in(tx, caller.user_id).await?;
    let others = sessions::EndTarget::AllExcept(Some(caller.session_id));
    let by = sessions::EndedBy::Caller(caller);
    let ended = sessions::end_in(tx, caller.user_id, others, reason, by, now).await?;
    cli_grants::deny_unredeemed_in(tx, caller.user_id, now).await?;
    let keep = devices::Revoke::AllExcept(caller.device_id);
    devices::revoke_in(tx, caller.user_id, keep, reason.as_str(), now).await?;
    Ok(ended)
}

/// "Not you?" on the page's row `id`: ends that session and every live session its browser
/// holds, and forgets that browser (never the caller's own), in one transaction (SEC-40).
/// Unknown, foreign, ended and malformed ids are `NotFound`.
pub async fn not_me(state: &AppState, caller: &Caller, id: &str) -> Result<Ended, AppError> {
    if sessions::revoke_reason(caller, id, false)? != EndReason::Revoked {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin_write().await?;
    let target = sessions::EndTarget::Public(id);
    let by = sessions::EndedBy::Caller(caller);
    let keep = caller.device_id;
    let done =
        devices::end_browser_in(&mut tx, caller.user_id, target, by, keep, state.now()).await?;
    if done.ended.count == 0 {
        tx.rollback().await?;
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(done.ended)
}

/// A password change as submitted.
#[derive(Debug)]
pub struct PasswordChange {
    /// The password in use now.
    pub current: String,
    /// The new one.
    pub new: String,
    /// The new one again.
    pub confirm: String,
}

/// What a password change did.
#[derive(Debug)]
pub struct PasswordChanged {
    /// The caller's session's new token (the old one stops working).
    pub token: SessionToken,
    /// How many other sessions ended.
    pub ended: u64,
}

/// Changes the password: checks the current one, then in one transaction sets the new hash,
/// ends every other session (CLI included) and gives the caller's session a fresh token (SEC-13).
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    change: PasswordChange,
) -> Result<PasswordChanged, AppError> {
    use crate::platform::password::check_new_password;
    if change.new != change.confirm {
        return Err(AppError::invalid("The new passwords do not match."));
    }
    check_new_password(&change.new).map_err(|e| AppError::invalid(capitalise(&e.to_string())))?;
    confirm_password(state, caller, change.current).await?;
    let hash = state.hasher.hash(change.new).await?;
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    users::set_password_in(&mut tx, caller.user_id, &hash, now).await?;
    let ended = end_others_in(&mut tx, caller, EndReason::PasswordChanged, now).await?;
    let token = sessions::rotate_token_in(&mut tx, caller, now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    tx.commit().await?;
    Ok(PasswordChanged {
        token,
        ended: ended.count,
    })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
