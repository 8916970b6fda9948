//! Signing in with email and password (and the development login): failures are reserved in
//! per-address and per-device or per-account budgets before Argon2 runs (SEC-27, SEC-29, SEC-43).

use super::finish::{Finish, finish_in};
use crate::auth::devices;
use crate::error::AppError;
use crate::factors::service::{self as factors, PendingStart};
use crate::platform::failure_budget::Attempt;
use crate::platform::{password::MAX_PASSWORD_BYTES, state::AppState};
use crate::sessions::caller::{Caller, Client};
use crate::sessions::model::{Proof, SessionKind};
use crate::sessions::repository::CreatedSession;
use crate::sessions::service::{self as sessions, Start};
use crate::sessions::token::SessionToken;
use crate::users::{email::Email, service as users};

/// Email of the development demo account.
pub const DEMO_EMAIL: &str = "demo@example.com";

/// Reserves a password attempt in the failure budgets of `keys` before any hashing (SEC-29).
pub(super) async fn reserve(state: &AppState, keys: Vec<String>) -> Result<Attempt<'_>, AppError> {
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

/// What a right password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// The account has no second factor: signed in.
    SignedIn(SignedIn),
    /// The account has two-step sign-in: no session yet; the pending sign-in's token, to finish
    /// within five minutes with one of `methods` (`totp`, `webauthn`, `recovery_code`).
    SecondStep {
        /// The pending sign-in's token.
        token: SessionToken,
        /// What can finish it.
        methods: Vec<String>,
    },
}

/// Signs in with email and password and starts a browser session, ending the one the browser
/// already had (`previous`, looked up only once the password proved right, SEC-04). Failures are
/// budgeted per address and, for a browser that presents a device cookie of this account, per
/// device; otherwise per account — so spending the account's budget does not lock the owner out
/// of a browser they signed in with before.
#[tracing::instrument(skip_all)]
pub async fn login<P: Future<Output = Option<Caller>>>(
    state: &AppState,
    client: &Client,
    previous: impl FnOnce() -> P,
    device: Option<&SessionToken>,
    email: &str,
    password: String,
) -> Result<LoginOutcome, AppError> {
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
    let ip_key = format!("ip:{}", client.rate_key());
    let keys = vec![ip_key.clone(), budget_key.clone()];
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
    let account_factors = factors::factors_of(state, user.id).await?;
    if account_factors.two_step(state.webauthn.is_some()) {
        // The password alone proves nothing yet: it stays a failure in the budgets until the
        // second step completes (SEC-49), and no session, device or alert exists before that.
        let password_at = attempt.at();
        attempt.failed().await;
        let pending = PendingStart {
            user_id: user.id,
            device_id: known_device,
            budget_key: &budget_key,
            ip_key: &ip_key,
            password_at,
        };
        let token = factors::start_pending(state, pending).await?;
        tracing::info!(event = "login_second_step", ip = ?client.ip, "auth event");
        let methods = account_factors.methods(state.webauthn.is_some());
        let methods = methods.into_iter().map(str::to_owned).collect();
        return Ok(LoginOutcome::SecondStep { token, methods });
    }
    attempt.succeeded().await;
    state.login_limiter.reset(&budget_key).await;
    let previous = previous().await;
    let tx = state.db.begin_write().await?;
    let finish = Finish {
        user_id: user.id,
        known_device,
        client,
        proofs: &[Proof::Password],
        method: "password",
    };
    let signed_in = finish_in(tx, state, finish, previous.as_ref()).await?;
    Ok(LoginOutcome::SignedIn(signed_in))
}

/// `DEV_LOGIN=true` only: signs in to the demo account, creating it with a password nobody
/// knows on first use.
#[tracing::instrument(skip_all)]
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
        inherited: None,
        device_id: None,
        proofs: &[],
    };
    let previous = previous().await;
    sessions::sign_in(state, start, previous.as_ref()).await
}
