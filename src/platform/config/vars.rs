//! The environment variables, declared once with clap's derive and `env` feature: each field's
//! `env` names its variable, `default_value_t` its default and `value_parser` its check.
//!
//! The values reach clap as `--name=value` arguments built from a lookup (the process
//! environment, or a map in tests), not through clap's own reading of the environment: tests stay
//! independent of the shell they run in, and a blank value means "unset" for every variable
//! (clap would hand `VAR=` to the parser as an empty value).

use super::ConfigError;
use super::public_url::PublicUrl;
use clap::{CommandFactory, FromArgMatches, Parser, error::ContextKind, error::ContextValue};

/// The smallest and largest counts and durations accepted.
const WHOLE_RANGE: std::ops::RangeInclusive<u64> = 1..=u32::MAX as u64;

/// Every variable as clap parses it (field names are the variables in lower case).
#[derive(Debug, Parser)]
#[command(name = "active-sessions", no_binary_name = true)]
pub(super) struct Vars {
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    #[arg(long, env = "PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<PublicUrl>,
    #[arg(long, env = "SESSION_IDLE_TIMEOUT_SECS", value_parser = whole, default_value_t = 7 * 24 * 3600)]
    pub session_idle_timeout_secs: u32,
    #[arg(long, env = "SESSION_ABSOLUTE_TIMEOUT_SECS", value_parser = whole, default_value_t = 30 * 24 * 3600)]
    pub session_absolute_timeout_secs: u32,
    #[arg(long, env = "CLI_SESSION_ABSOLUTE_TIMEOUT_SECS", value_parser = whole, default_value_t = 90 * 24 * 3600)]
    pub cli_session_absolute_timeout_secs: u32,
    #[arg(long, env = "MAX_SESSIONS_PER_USER", value_parser = whole, default_value_t = 50)]
    pub max_sessions_per_user: u32,
    #[arg(long, env = "REAUTH_WINDOW_SECS", value_parser = whole, default_value_t = 15 * 60)]
    pub reauth_window_secs: u32,
    #[arg(long, env = "DEV_LOGIN", value_parser = flag, action = clap::ArgAction::Set, default_value_t = false)]
    pub dev_login: bool,
    #[arg(long, env = "TRUST_PROXY_HEADERS", value_parser = flag, action = clap::ArgAction::Set, default_value_t = false)]
    pub trust_proxy_headers: bool,
    #[arg(long, env = "TRUSTED_PROXY_HOPS", value_parser = whole, default_value_t = 1)]
    pub trusted_proxy_hops: u32,
    #[arg(long, env = "LOGIN_MAX_FAILURES", value_parser = whole, default_value_t = 10)]
    pub login_max_failures: u32,
    #[arg(long, env = "LOGIN_FAILURE_WINDOW_SECS", value_parser = whole, default_value_t = 15 * 60)]
    pub login_failure_window_secs: u32,
    #[arg(long, env = "DB_MAX_CONNECTIONS", value_parser = whole, default_value_t = 16)]
    pub db_max_connections: u32,
    #[arg(long, env = "DB_ACQUIRE_TIMEOUT_MS", value_parser = whole, default_value_t = 2000)]
    pub db_acquire_timeout_ms: u32,
    /// Unset: the number of CPUs.
    #[arg(long, env = "PASSWORD_HASH_CONCURRENCY", value_parser = whole)]
    pub password_hash_concurrency: Option<u32>,
    #[arg(long, env = "PASSWORD_HASH_QUEUE", value_parser = whole, default_value_t = 64)]
    pub password_hash_queue: u32,
    // Checked (and redacted) by `Config::from_lookup`, never by clap: its errors would show the
    // value, password included.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    #[arg(long, env = "MAIL_FROM")]
    pub mail_from: Option<String>,
    // Checked by `Config::from_lookup` for the same reason: the value is a key.
    #[arg(long, env = "SECRETS_KEY")]
    pub secrets_key: Option<String>,
}

impl Vars {
    /// Parses the variables that `lookup` finds; blank values count as unset.
    pub fn parse(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut names = Vec::new();
        let mut args = Vec::new();
        let mut command = Self::command().mut_args(|arg| {
            let name = arg.get_env().and_then(|n| n.to_str()).unwrap_or_default();
            let long = arg.get_long().unwrap_or_default().to_owned();
            if let Some(value) = lookup(name).filter(|v| !v.trim().is_empty()) {
                args.push(format!("--{long}={}", value.trim()));
            }
            names.push((format!("--{long} "), name.to_owned()));
            // Only `lookup` supplies values: clap must not read the process environment.
            arg.env(None)
        });
        let matches = command
            .try_get_matches_from_mut(args)
            .map_err(|e| rejected(&e, &names))?;
        Self::from_arg_matches(&matches).map_err(|e| rejected(&e, &names))
    }
}

/// The error of the variable clap refused. `names` pairs each `--long ` with its variable.
fn rejected(error: &clap::Error, names: &[(String, String)]) -> ConfigError {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let name = names
        .iter()
        .find(|(long, _)| arg.starts_with(long.as_str()))
        .map_or("configuration", |(_, name)| name.as_str());
    // Our parsers' messages; any other clap error is a bug here, not in the settings.
    let problem = std::error::Error::source(error)
        .map_or_else(|| "could not be read".to_owned(), |e| e.to_string());
    ConfigError::new(name, problem, text(ContextKind::InvalidValue))
}

/// A count or a duration: a whole number from 1 to `u32::MAX`.
fn whole(value: &str) -> Result<u32, &'static str> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| WHOLE_RANGE.contains(n))
        .map(|n| n as u32)
        .ok_or("must be a whole number from 1 to 4294967295")
}

/// `true`/`1` or `false`/`0`.
fn flag(value: &str) -> Result<bool, &'static str> {
    match value {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err("must be true or false"),
    }
}

/// `http://` or `https://` followed by a host.
fn public_url(value: &str) -> Result<PublicUrl, &'static str> {
    PublicUrl::parse(value)
}
