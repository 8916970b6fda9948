//! State shared by every request: built once at start-up, cloned cheaply per request.

use crate::platform::{
    clock::Clock,
    config::Config,
    db::Db,
    failure_budget::{BudgetSettings, FailureBudget},
    mail::Mailer,
    password::PasswordHasherPool,
    rate_limit::RateLimiter,
};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use tokio::sync::Notify;

/// Everything a handler, page or server function needs: one [`Shared`] behind an `Arc`, so a
/// clone (axum and Leptos make several per request: the middleware's state, the page's
/// context, each server function's `use_context`) is one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// leptos_axum's file and error handler reads Leptos' settings from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    /// Leptos' own settings (site root, addresses).
    pub leptos_options: LeptosOptions,
    /// The connection pool.
    pub db: Db,
    /// Settings from the environment.
    pub config: Arc<Config>,
    /// Time source (a manual clock in tests).
    pub clock: Arc<dyn Clock>,
    /// Argon2 off the async threads.
    pub hasher: PasswordHasherPool,
    /// Failed passwords per address, per account, per device and per re-authenticating
    /// session, shared by every instance (SEC-29, SEC-41, SEC-43).
    pub login_limiter: Arc<FailureBudget>,
    /// The account ceiling of failed re-authentications: three sessions' budgets (SEC-41).
    pub reauth_ceiling: Arc<FailureBudget>,
    /// CLI grant starts, redeems and code lookups, and not-me lookups, shared by every instance
    /// (SEC-31, SEC-43).
    pub grant_limiter: Arc<RateLimiter>,
    /// CLI grant approvals and denials per session: 10 an hour, shared by every instance
    /// (SEC-31, SEC-41, SEC-43).
    pub approval_limiter: Arc<RateLimiter>,
    /// The SMTP client when `SMTP_URL` is set: sign-in alerts are queued only then.
    pub mailer: Option<Mailer>,
    /// Wakes the outbox sender when a transaction queued a message.
    pub outbox_wakeup: Arc<Notify>,
    /// The passkey relying party, from `PUBLIC_URL`; `None` when passkeys are off (no
    /// `PUBLIC_URL`, or one WebAuthn refuses, such as an IP address).
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
}

impl AppState {
    /// Builds the state around an open database.
    pub fn new(
        leptos_options: LeptosOptions,
        db: Db,
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let login_limiter = FailureBudget::new(
            db.clone(),
            BudgetSettings {
                scope: "login",
                max: config.login_max_failures,
                window_secs: config.login_failure_window.as_secs() as i64,
                max_wait: std::time::Duration::from_secs(30),
            },
        );
        let reauth_ceiling = FailureBudget::new(
            db.clone(),
            BudgetSettings {
                scope: "reauth_ceiling",
                max: config.login_max_failures.saturating_mul(3),
                window_secs: config.login_failure_window.as_secs() as i64,
                max_wait: std::time::Duration::from_secs(30),
            },
        );
        let grant_limiter = RateLimiter::new(db.clone(), "grant", 30, 60);
        let approval_limiter = RateLimiter::new(db.clone(), "approval", 10, 3600);
        Self(Arc::new(Shared {
            leptos_options,
            db,
            reauth_ceiling: Arc::new(reauth_ceiling),
            hasher: PasswordHasherPool::new(
                config.password_hash_concurrency,
                config.password_hash_queue,
            ),
            login_limiter: Arc::new(login_limiter),
            grant_limiter: Arc::new(grant_limiter),
            approval_limiter: Arc::new(approval_limiter),
            mailer: config
                .mail
                .as_ref()
                .and_then(|m| Mailer::new(m.smtp_url.expose(), &m.from).ok()),
            outbox_wakeup: Arc::new(Notify::new()),
            webauthn: crate::factors::webauthn::relying_party(config.public_url.as_ref())
                .map(Arc::new),
            config: Arc::new(config),
            clock,
        }))
    }

    /// Seconds since the epoch, by the state's clock.
    pub fn now(&self) -> crate::platform::ids::UnixTime {
        self.clock.now()
    }

    /// The idle timeout in seconds.
    pub fn idle_secs(&self) -> i64 {
        self.config.idle_timeout.as_secs() as i64
    }
}
