//! Settings read from the environment once at start-up. Every variable has a safe default; a
//! malformed value stops the server with a message naming the variable.

use crate::platform::secret::SecretUrl;
use std::time::Duration;

/// Default SQLite database when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://active-sessions.db";

/// Everything configurable about the server (besides Leptos' own `LEPTOS_*` settings). Its
/// `Debug` shows no password: the URLs that may hold one are [`SecretUrl`]s (SEC-45).
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://path` (file created if missing) or `postgres://…`.
    pub database_url: SecretUrl,
    /// `PUBLIC_URL`: the origin users reach; `https://` turns on `Secure`/`__Host-` cookies and HSTS.
    pub public_url: Option<String>,
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

/// A setting that could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("{name} {problem}, got {value:?}")]
pub struct ConfigError {
    name: &'static str,
    problem: &'static str,
    value: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let secs = |name: &'static str, default: u64| -> Result<Duration, ConfigError> {
            number(&lookup, name, default).map(Duration::from_secs)
        };
        let public_url = lookup("PUBLIC_URL").filter(|v| !v.is_empty());
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError {
                name: "PUBLIC_URL",
                problem: "must start with http:// or https://",
                value: url.clone(),
            });
        }
        let trust_proxy_headers = flag(&lookup, "TRUST_PROXY_HEADERS")?;
        let mail = mail_settings(&lookup, public_url.is_some())?;
        Ok(Self {
            database_url: SecretUrl::new(
                lookup("DATABASE_URL")
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            ),
            public_url,
            idle_timeout: secs("SESSION_IDLE_TIMEOUT_SECS", 7 * 24 * 3600)?,
            web_lifetime: secs("SESSION_ABSOLUTE_TIMEOUT_SECS", 30 * 24 * 3600)?,
            cli_lifetime: secs("CLI_SESSION_ABSOLUTE_TIMEOUT_SECS", 90 * 24 * 3600)?,
            max_sessions_per_user: number(&lookup, "MAX_SESSIONS_PER_USER", 50)? as u32,
            reauth_window: secs("REAUTH_WINDOW_SECS", 15 * 60)?,
            dev_login: flag(&lookup, "DEV_LOGIN")?,
            trust_proxy_headers,
            trusted_proxy_hops: if trust_proxy_headers {
                number(&lookup, "TRUSTED_PROXY_HOPS", 1)? as u32
            } else {
                0
            },
            login_max_failures: number(&lookup, "LOGIN_MAX_FAILURES", 10)? as u32,
            login_failure_window: secs("LOGIN_FAILURE_WINDOW_SECS", 15 * 60)?,
            db_max_connections: number(&lookup, "DB_MAX_CONNECTIONS", 16)? as u32,
            db_acquire_timeout: Duration::from_millis(number(
                &lookup,
                "DB_ACQUIRE_TIMEOUT_MS",
                2000,
            )?),
            password_hash_concurrency: number(
                &lookup,
                "PASSWORD_HASH_CONCURRENCY",
                std::thread::available_parallelism().map_or(2, |n| n.get() as u64),
            )? as usize,
            password_hash_queue: number(&lookup, "PASSWORD_HASH_QUEUE", 64)? as usize,
            mail,
        })
    }

    /// Whether cookies are `Secure` with the `__Host-` prefix (served over https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    match lookup(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(default),
        Some(value) => match value.trim().parse::<u64>() {
            Ok(n) if n > 0 && n <= u32::MAX as u64 => Ok(n),
            _ => Err(ConfigError {
                name,
                problem: "must be a whole number from 1 to 4294967295",
                value,
            }),
        },
    }
}

/// `SMTP_URL` with `MAIL_FROM` (both or neither), checked by building a mailer; the links in
/// emails need `PUBLIC_URL`.
fn mail_settings(
    lookup: &impl Fn(&str) -> Option<String>,
    has_public_url: bool,
) -> Result<Option<MailSettings>, ConfigError> {
    let smtp_url = lookup("SMTP_URL").filter(|v| !v.trim().is_empty());
    let from = lookup("MAIL_FROM").filter(|v| !v.trim().is_empty());
    let (smtp_url, from) = match (smtp_url, from) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(ConfigError {
                name: "MAIL_FROM",
                problem: "must be set when SMTP_URL is (the sender of sign-in alerts)",
                value: String::new(),
            });
        }
        (None, Some(from)) => {
            return Err(ConfigError {
                name: "SMTP_URL",
                problem: "must be set when MAIL_FROM is",
                value: from,
            });
        }
        (Some(url), Some(from)) => (SecretUrl::new(url.trim()), from.trim().to_owned()),
    };
    let url = smtp_url.expose();
    if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
        return Err(ConfigError {
            name: "SMTP_URL",
            problem: "must start with smtp:// or smtps://",
            value: smtp_url.redacted(),
        });
    }
    if let Err(problem) = crate::platform::mail::Mailer::check(url, &from) {
        let (name, value) = if problem.contains("SMTP") {
            ("SMTP_URL", smtp_url.redacted())
        } else {
            ("MAIL_FROM", from.clone())
        };
        return Err(ConfigError {
            name,
            problem: "is not usable (check the address and URL)",
            value,
        });
    }
    if !has_public_url {
        return Err(ConfigError {
            name: "PUBLIC_URL",
            problem: "must be set when SMTP_URL is (emails link to it)",
            value: String::new(),
        });
    }
    Ok(Some(MailSettings { smtp_url, from }))
}

fn flag(lookup: &impl Fn(&str) -> Option<String>, name: &'static str) -> Result<bool, ConfigError> {
    match lookup(name).as_deref().map(str::trim) {
        None | Some("") | Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") => Ok(true),
        Some(other) => Err(ConfigError {
            name,
            problem: "must be true or false",
            value: other.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_safe() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url.expose(), DEFAULT_DATABASE_URL);
        assert!(!c.dev_login, "dev login must never be on by default");
        assert!(!c.trust_proxy_headers);
        assert!(!c.secure_cookies());
        assert_eq!(c.login_max_failures, 10);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = config(&[("SESSION_IDLE_TIMEOUT_SECS", "soon")]).unwrap_err();
        assert!(
            err.to_string().contains("SESSION_IDLE_TIMEOUT_SECS"),
            "{err}"
        );
        assert!(config(&[("DEV_LOGIN", "yes please")]).is_err());
        assert!(config(&[("PUBLIC_URL", "example.com")]).is_err());
        assert!(config(&[("MAX_SESSIONS_PER_USER", "0")]).is_err());
    }

    #[test]
    fn mail_needs_both_variables_and_a_public_url() {
        assert!(config(&[]).unwrap().mail.is_none());
        let ok = config(&[
            ("SMTP_URL", "smtp://127.0.0.1:2525"),
            ("MAIL_FROM", "Active sessions <alerts@example.com>"),
            ("PUBLIC_URL", "https://sessions.example"),
        ])
        .unwrap();
        assert_eq!(ok.mail.unwrap().smtp_url.expose(), "smtp://127.0.0.1:2525");
        let err = config(&[("SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap_err();
        assert!(err.to_string().contains("MAIL_FROM"), "{err}");
        let err =
            config(&[("SMTP_URL", "smtp://h:1"), ("MAIL_FROM", "a@example.com")]).unwrap_err();
        assert!(err.to_string().contains("PUBLIC_URL"), "{err}");
        let err = config(&[
            ("SMTP_URL", "http://user:hunter2@h"),
            ("MAIL_FROM", "a@example.com"),
            ("PUBLIC_URL", "https://sessions.example"),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("SMTP_URL"), "{err}");
        assert!(
            !err.to_string().contains("hunter2"),
            "password leaked: {err}"
        );
    }

    // SEC-07
    #[test]
    fn https_public_url_turns_on_secure_cookies() {
        assert!(
            config(&[("PUBLIC_URL", "https://sessions.example")])
                .unwrap()
                .secure_cookies()
        );
        assert!(
            !config(&[("PUBLIC_URL", "http://localhost:3000")])
                .unwrap()
                .secure_cookies()
        );
    }
}
