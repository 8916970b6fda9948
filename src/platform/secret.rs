//! URLs that carry a password (`DATABASE_URL`, `SMTP_URL`) and the one way they are written out
//! (SEC-45): the password in the user info and any `password`-like query value become
//! `[redacted]` in every `Debug`, error and log line.
//!
//! The URLs are read as text, not with a URL parser: the ones we most need to redact are the
//! malformed ones an error reports (a `/` or `@` typed unencoded in the password), which a parser
//! refuses without saying where the password was.

use std::borrow::Cow;

/// What a password is replaced with.
pub const REDACTED: &str = "[redacted]";

/// A connection URL that may hold a password. Its `Debug` and [`SecretUrl::redacted`] never show
/// it; [`SecretUrl::expose`] is for the one call that connects.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    /// Wraps `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The URL itself, password included: only to hand to the driver.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with its password replaced, for messages.
    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }

    /// `text` (an error message about this URL) with every form of the password replaced.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        scrub(text, &self.0)
    }
}

impl std::fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

/// `url` as the text before the query and the query. A `?` left of the last `@` is part of the
/// password, not the start of a query.
fn split(url: &str) -> (&str, Option<&str>) {
    match url.split_once('?') {
        Some((head, query)) if !query.contains('@') => (head, Some(query)),
        _ => (url, None),
    }
}

/// Where the password of `head` is (`scheme://user:PASSWORD@host`): from the first `:` of the
/// user info to the last `@` (a password may hold an unencoded `@` or `/`).
fn password_span(head: &str) -> Option<std::ops::Range<usize>> {
    let start = head.find("://")? + 3;
    let at = head.rfind('@').filter(|at| *at >= start)?;
    let colon = head[start..at].find(':')? + start;
    Some(colon + 1..at)
}

/// Query keys whose value is a secret (`password`, `sslpassword`, `pass`).
fn is_secret_key(key: &str) -> bool {
    key.to_ascii_lowercase().contains("pass")
}

/// `scheme://user:secret@host/db?password=x` →
/// `scheme://user:[redacted]@host/db?password=[redacted]`.
pub fn redact_url(url: &str) -> String {
    let (head, query) = split(url);
    let mut out = match password_span(head) {
        Some(span) => format!("{}{REDACTED}{}", &head[..span.start], &head[span.end..]),
        None => head.to_owned(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if is_secret_key(key) => format!("{key}={REDACTED}"),
                _ => pair.to_owned(),
            })
            .collect();
        out = format!("{out}?{}", pairs.join("&"));
    }
    out
}

/// The secrets `url` holds, as written and percent-decoded, longest first.
fn secrets(url: &str) -> Vec<String> {
    let (head, query) = split(url);
    let mut found: Vec<String> = password_span(head)
        .map(|span| head[span].to_owned())
        .into_iter()
        .collect();
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        if let Some((key, value)) = pair.split_once('=')
            && is_secret_key(key)
        {
            found.push(value.to_owned());
        }
    }
    let decoded: Vec<String> = found
        .iter()
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    found.extend(decoded);
    found.retain(|s| !s.is_empty());
    found.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    found.dedup();
    found
}

/// `text` with the URL's password (as written or decoded) replaced wherever it appears.
pub fn scrub<'a>(text: &'a str, url: &str) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(text);
    for secret in secrets(url) {
        if text.contains(secret.as_str()) {
            text = Cow::Owned(text.replace(secret.as_str(), REDACTED));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-45
    #[test]
    fn passwords_never_show() {
        for (url, shown) in [
            (
                "postgres://app:hunter2@db.internal:5432/sessions",
                "postgres://app:[redacted]@db.internal:5432/sessions",
            ),
            (
                "postgres://app:pa/ss@w@rd@db/sessions",
                "postgres://app:[redacted]@db/sessions",
            ),
            (
                "postgres://db/sessions?user=app&password=hunter2&sslmode=require",
                "postgres://db/sessions?user=app&password=[redacted]&sslmode=require",
            ),
            (
                "smtp://mailer:s%40cret@smtp.example:587",
                "smtp://mailer:[redacted]@smtp.example:587",
            ),
            ("smtp://smtp.example:25", "smtp://smtp.example:25"),
            ("sqlite://active-sessions.db", "sqlite://active-sessions.db"),
        ] {
            assert_eq!(redact_url(url), shown);
            assert_eq!(format!("{:?}", SecretUrl::new(url)), format!("{shown:?}"));
        }
        let url = SecretUrl::new("smtp://mailer:s%40cret@smtp.example:587");
        assert_eq!(
            url.scrub("login as mailer with s@cret failed; s%40cret"),
            "login as mailer with [redacted] failed; [redacted]"
        );
        assert_eq!(url.scrub("nothing to hide"), "nothing to hide");
        assert_eq!(url.expose(), "smtp://mailer:s%40cret@smtp.example:587");
    }

    // SEC-45: `Config`'s derived `Debug` shows its URLs through `SecretUrl`.
    #[test]
    fn config_debug_shows_no_password() {
        let settings = [
            (
                "DATABASE_URL",
                "postgres://app:db-hunter2@db.internal/sessions",
            ),
            ("SMTP_URL", "smtp://mailer:smtp-hunter2@127.0.0.1:2525"),
            ("MAIL_FROM", "a@example.com"),
            ("PUBLIC_URL", "https://sessions.example"),
        ];
        let config = crate::platform::config::Config::from_lookup(|name| {
            settings
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap();
        let shown = format!("{config:?} {config:#?}");
        assert!(!shown.contains("hunter2"), "password in Debug: {shown}");
        assert!(shown.contains("postgres://app:[redacted]@db.internal/sessions"));
        assert!(shown.contains("smtp://mailer:[redacted]@127.0.0.1:2525"));
    }
}
