//! Settings read from the environment once at start-up (declared with clap in `vars.rs`). Every
//! variable has a safe default; a malformed value stops the server with a message naming the
//! variable.

mod public_url;
mod vars;

pub use public_url::PublicUrl;

use crate::platform::mail::{MailSetting, Mailer};
use crate::platform::secret::{REDACTED, SecretUrl};
use crate::platform::secrets_key::SecretsKey;
use std::time::Duration;
use vars::Vars;

/// Default SQLite database when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://active-sessions.db";

/// Everything configurable about the server (besides Leptos' own `LEPTOS_*` settings). Its
/// `Debug` shows no password: the URLs that may hold one are [`SecretUrl`]s (SEC-45).
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://path` (file created if missing) or `postgres://…`.
    pub database_url: SecretUrl,
    /// `PUBLIC_URL`: the origin users reach; `https://` turns on `Secure`/`__Host-` cookies and HSTS.
    pub public_url: Option<PublicUrl>,
    /// `SESSION_IDLE_TIMEOUT_SECS`: a session unused this long is refused (SEC-10).
    pub idle_timeout: Duration,
    /// `SESSION_ABSOLUTE_TIMEOUT_SECS`: lifetime of a browser session (SEC-10).
    pub web_lifetime: Duration,
    /// `CLI_SESSION_ABSOLUTE_TIMEOUT_SECS`: lifetime of a CLI session.
    pub cli_lifetime: Duration,
    /// `MAX_SESSIONS_PER_USER`: past this, the least recently used session is ended (SEC-15).
    pub max_sessions_per_user: u32,
    /// `REAUTH_WINDOW_SECS`: how recent a sign-in must be for "sign out all others" (SEC-17).
    pub reauth_window: Duration,
    /// `DEV_LOGIN`: one-click demo login; for development only, off unless set to `true`.
    pub dev_login: bool,
    /// `TRUST_PROXY_HEADERS`: take the client IP from `X-Forwarded-For` (only behind a proxy).
    pub trust_proxy_headers: bool,
    /// `TRUSTED_PROXY_HOPS`: how many proxies of ours append to `X-Forwarded-For`; the client is
    /// that many entries from the right (default 1; 0 when `TRUST_PROXY_HEADERS` is off).
    pub trusted_proxy_hops: u32,
    /// `LOGIN_MAX_FAILURES`: failed logins per IP and per account within the window (SEC-29).
    pub login_max_failures: u32,
    /// `LOGIN_FAILURE_WINDOW_SECS`: the rate-limit window.
    pub login_failure_window: Duration,
    /// `DB_MAX_CONNECTIONS`: size of the connection pool.
    pub db_max_connections: u32,
    /// `DB_ACQUIRE_TIMEOUT_MS`: wait at most this long for a pooled connection, then 503 (SEC-33).
    pub db_acquire_timeout: Duration,
    /// `PASSWORD_HASH_CONCURRENCY`: Argon2 computations allowed at once (SEC-27).
    pub password_hash_concurrency: usize,
    /// `PASSWORD_HASH_QUEUE`: password checks allowed to wait for a hashing slot; past it the
    /// answer is 503 with `Retry-After` at once (SEC-27).
    pub password_hash_queue: usize,
    /// `SMTP_URL` and `MAIL_FROM`: where sign-in alerts are sent from; unset means no email.
    pub mail: Option<MailSettings>,
    /// `SECRETS_KEY`: 32 random bytes in standard base64 that seal second-factor secrets at rest
    /// (make one with `openssl rand -base64 32`). Unset: authenticator apps are unavailable, and
    /// the server refuses to start while any is enrolled.
    pub secrets_key: Option<SecretsKey>,
}

/// How to send email (both variables set and checked at start-up).
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `SMTP_URL`: `smtp://host:port` (STARTTLS where offered), `smtps://host:port`, optional
    /// `user:pass@`.
    pub smtp_url: SecretUrl,
    /// `MAIL_FROM`: the sender, `Name <address>` or an address.
    pub from: String,
}

/// A setting that could not be understood: names the variable, says what it must be and shows
/// the value (a URL with its password redacted).
#[derive(Debug, thiserror::Error)]
#[error("{name} {problem}, got {value:?}")]
pub struct ConfigError {
    name: String,
    problem: String,
    value: String,
}

impl ConfigError {
    fn new(name: &str, problem: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            problem: problem.into(),
            value: value.into(),
        }
    }

    /// The variable at fault (`SMTP_URL`, `SESSION_IDLE_TIMEOUT_SECS`, …).
    pub fn variable(&self) -> &str {
        &self.name
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars::parse(lookup)?;
        let secs = |n: u32| Duration::from_secs(n.into());
        let mail = mail_settings(vars.smtp_url, vars.mail_from, vars.public_url.is_some())?;
        Ok(Self {
            database_url: SecretUrl::new(
                vars.database_url
                    .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            ),
            public_url: vars.public_url,
            idle_timeout: secs(vars.session_idle_timeout_secs),
            web_lifetime: secs(vars.session_absolute_timeout_secs),
            cli_lifetime: secs(vars.cli_session_absolute_timeout_secs),
            max_sessions_per_user: vars.max_sessions_per_user,
            reauth_window: secs(vars.reauth_window_secs),
            dev_login: vars.dev_login,
            trust_proxy_headers: vars.trust_proxy_headers,
            trusted_proxy_hops: if vars.trust_proxy_headers {
                vars.trusted_proxy_hops
            } else {
                0
            },
            login_max_failures: vars.login_max_failures,
            login_failure_window: secs(vars.login_failure_window_secs),
            db_max_connections: vars.db_max_connections,
            db_acquire_timeout: Duration::from_millis(vars.db_acquire_timeout_ms.into()),
            password_hash_concurrency: vars.password_hash_concurrency.map_or_else(
                || std::thread::available_parallelism().map_or(2, |n| n.get()),
                |n| n as usize,
            ),
            password_hash_queue: vars.password_hash_queue as usize,
            mail,
            secrets_key: vars
                .secrets_key
                .map(|text| {
                    SecretsKey::parse(&text)
                        .map_err(|problem| ConfigError::new("SECRETS_KEY", problem, REDACTED))
                })
                .transpose()?,
        })
    }

    /// Whether cookies are `Secure` with the `__Host-` prefix (served over https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_ref().is_some_and(PublicUrl::is_https)
    }
}

/// `SMTP_URL` with `MAIL_FROM` (both or neither), checked by building a mailer; the links in
/// emails need `PUBLIC_URL`.
fn mail_settings(
    smtp_url: Option<String>,
    from: Option<String>,
    has_public_url: bool,
) -> Result<Option<MailSettings>, ConfigError> {
    let (smtp_url, from) = match (smtp_url, from) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(ConfigError::new(
                "MAIL_FROM",
                "must be set when SMTP_URL is (the sender of sign-in alerts)",
                "",
            ));
        }
        (None, Some(from)) => {
            return Err(ConfigError::new(
                "SMTP_URL",
                "must be set when MAIL_FROM is",
                from,
            ));
        }
        (Some(url), Some(from)) => (SecretUrl::new(url), from),
    };
    let url = smtp_url.expose();
    if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
        return Err(ConfigError::new(
            "SMTP_URL",
            "must start with smtp:// or smtps://",
            smtp_url.redacted(),
        ));
    }
    if let Err(unusable) = Mailer::check(url, &from) {
        let value = match unusable {
            MailSetting::SmtpUrl => smtp_url.redacted(),
            MailSetting::From => from.clone(),
        };
        return Err(ConfigError::new(
            unusable.variable(),
            "is not usable (check the address and URL)",
            value,
        ));
    }
    if !has_public_url {
        return Err(ConfigError::new(
            "PUBLIC_URL",
            "must be set when SMTP_URL is (emails link to it)",
            "",
        ));
    }
    Ok(Some(MailSettings { smtp_url, from }))
}

#[cfg(test)]
mod tests;
