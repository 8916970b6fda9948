//! The session cookie (SEC-07): `HttpOnly`, `SameSite=Lax`, `Path=/`, no `Domain`; over https it is
//! `Secure` and named with the `__Host-` prefix. On plain-http development servers (no https
//! `PUBLIC_URL`) browsers refuse `Secure` cookies, so the cookie is called `session` without it.

use crate::auth::token::SessionToken;
use axum::http::{HeaderMap, HeaderValue, header};

/// Cookie name over https.
pub const SECURE_COOKIE_NAME: &str = "__Host-session";
/// Cookie name on plain-http development servers.
pub const DEV_COOKIE_NAME: &str = "session";

/// Builds and reads the session cookie for one deployment.
#[derive(Clone, Copy, Debug)]
pub struct CookieJar {
    secure: bool,
}

impl CookieJar {
    /// `secure` when served over https.
    pub fn new(secure: bool) -> Self {
        Self { secure }
    }

    /// The cookie's name.
    pub fn name(&self) -> &'static str {
        if self.secure {
            SECURE_COOKIE_NAME
        } else {
            DEV_COOKIE_NAME
        }
    }

    /// `Set-Cookie` value carrying `token` for `max_age_secs`.
    pub fn set(&self, token: &SessionToken, max_age_secs: i64) -> HeaderValue {
        self.header(token.expose(), max_age_secs.max(0))
    }

    /// `Set-Cookie` value that deletes the cookie.
    pub fn clear(&self) -> HeaderValue {
        self.header("", 0)
    }

    fn header(&self, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            self.name()
        ))
        .expect("cookie header is ASCII")
    }

    /// The raw value of our cookie in the request, if any (first one wins).
    pub fn read<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        let name = self.name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim())
    }
}

/// The bearer token of an `Authorization` header, if it uses that scheme.
pub fn read_bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-07
    #[test]
    fn secure_cookie_attributes() {
        let jar = CookieJar::new(true);
        let token = SessionToken::generate();
        let set = jar.set(&token, 60);
        let set = set.to_str().unwrap();
        assert!(set.starts_with("__Host-session="));
        for attr in [
            "; Path=/",
            "; HttpOnly",
            "; SameSite=Lax",
            "; Secure",
            "; Max-Age=60",
        ] {
            assert!(set.contains(attr), "{set} lacks {attr}");
        }
        assert!(!set.to_ascii_lowercase().contains("domain"));
        let clear = jar.clear();
        assert!(clear.to_str().unwrap().contains("Max-Age=0"));
        assert!(clear.to_str().unwrap().contains("; Secure"));
    }

    #[test]
    fn dev_cookie_is_not_secure() {
        let set = CookieJar::new(false).set(&SessionToken::generate(), 60);
        assert!(set.to_str().unwrap().starts_with("session="));
        assert!(!set.to_str().unwrap().contains("Secure"));
    }

    // SEC-05
    #[test]
    fn reads_cookie_and_bearer() {
        let jar = CookieJar::new(false);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; session=abc ; b=2"),
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer xyz"),
        );
        assert_eq!(jar.read(&headers), Some("abc"));
        assert_eq!(read_bearer(&headers), Some("xyz"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic xyz"));
        assert_eq!(read_bearer(&headers), None);
        assert_eq!(CookieJar::new(true).read(&headers), None);
    }
}
