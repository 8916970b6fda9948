//! Reading settings: defaults, and errors that name the variable.

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
    let err = config(&[("SMTP_URL", "smtp://h:1"), ("MAIL_FROM", "a@example.com")]).unwrap_err();
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

#[test]
fn errors_name_the_variable_and_blank_means_unset() {
    for (name, value) in [
        ("SESSION_ABSOLUTE_TIMEOUT_SECS", "-5"),
        ("DB_ACQUIRE_TIMEOUT_MS", "4294967296"),
        ("PASSWORD_HASH_QUEUE", "1.5"),
        ("TRUST_PROXY_HEADERS", "on"),
        ("PUBLIC_URL", "https://"),
    ] {
        let err = config(&[(name, value)]).unwrap_err();
        assert_eq!(err.variable(), name, "{err}");
        assert!(err.to_string().contains(value), "{err}");
    }
    let err = config(&[("MAX_SESSIONS_PER_USER", " 0 ")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "MAX_SESSIONS_PER_USER must be a whole number from 1 to 4294967295, got \"0\""
    );
    let c = config(&[
        ("SESSION_IDLE_TIMEOUT_SECS", " "),
        ("DATABASE_URL", ""),
        ("DEV_LOGIN", " true "),
        ("LOGIN_MAX_FAILURES", " 7"),
    ])
    .unwrap();
    assert_eq!(c.idle_timeout, Duration::from_secs(7 * 24 * 3600));
    assert_eq!(c.database_url.expose(), DEFAULT_DATABASE_URL);
    assert!(c.dev_login);
    assert_eq!(c.login_max_failures, 7);
    assert_eq!(c.trusted_proxy_hops, 0, "no proxy hops unless trusted");
    let c = config(&[("TRUST_PROXY_HEADERS", "1"), ("TRUSTED_PROXY_HOPS", "2")]).unwrap();
    assert_eq!(c.trusted_proxy_hops, 2);
}

#[test]
fn an_unusable_sender_names_mail_from() {
    let err = config(&[
        ("SMTP_URL", "smtp://u:hunter2@127.0.0.1:2525"),
        ("MAIL_FROM", "not an address"),
        ("PUBLIC_URL", "https://sessions.example"),
    ])
    .unwrap_err();
    assert_eq!(err.variable(), "MAIL_FROM", "{err}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn a_malformed_secrets_key_names_the_variable_and_hides_the_value() {
    assert!(config(&[]).unwrap().secrets_key.is_none());
    let key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let parsed = config(&[("SECRETS_KEY", key)]).unwrap();
    assert_eq!(
        parsed.secrets_key.unwrap().expose(),
        b"0123456789abcdef0123456789abcdef"
    );
    for bad in ["hunter2-not-base64", "c2hvcnQ="] {
        let err = config(&[("SECRETS_KEY", bad)]).unwrap_err();
        assert_eq!(err.variable(), "SECRETS_KEY");
        assert!(!err.to_string().contains(bad), "{err}");
        assert!(err.to_string().contains("base64"), "{err}");
    }
    let debug = format!("{:?}", config(&[("SECRETS_KEY", key)]).unwrap());
    assert!(
        !debug.contains(key) && debug.contains("secrets_key: Some([redacted])"),
        "{debug}"
    );
}
