//! The session cookie (SEC-07), built and read with the `cookie` crate: `HttpOnly`,
//! `SameSite=Lax`, `Path=/`, no `Domain`; over https it is `Secure` and named with the `__Host-`
//! prefix. On plain-http development servers (no https `PUBLIC_URL`) browsers refuse `Secure`
//! cookies, so the cookie is called `session` without it.
//!
//! [`signed_out_headers`] is the one place that clears the cookie and sends `Clear-Site-Data`,
//! for every way a caller's own session ends.

use crate::platform::config::Config;
use crate::sessions::token::SessionToken;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use cookie::{Cookie, SameSite, time::Duration};

/// Cookie name over https.
pub const SECURE_COOKIE_NAME: &str = "__Host-session";
/// Cookie name on plain-http development servers.
pub const DEV_COOKIE_NAME: &str = "session";

/// The session cookie of one deployment.
#[derive(Clone, Copy, Debug)]
pub struct SessionCookie {
    secure: bool,
}

impl SessionCookie {
    /// `secure` when served over https.
    pub fn new(secure: bool) -> Self {
        Self { secure }
    }

    /// The cookie of the deployment `config` describes.
    pub fn of(config: &Config) -> Self {
        Self::new(config.secure_cookies())
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
        self.header(token.expose().to_owned(), max_age_secs.max(0))
    }

    /// `Set-Cookie` value that deletes the cookie.
    pub fn clear(&self) -> HeaderValue {
        self.header(String::new(), 0)
    }

    fn header(&self, value: String, max_age: i64) -> HeaderValue {
        build(self.name(), value, max_age, self.secure)
    }

    /// The raw value of our cookie in the request, if any (first one wins).
    pub fn read<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        read_named(headers, self.name())
    }
}

/// The raw value of the first cookie called `name` in the request's `Cookie` headers.
pub fn read_named<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .and_then(|c| c.value_raw())
}

/// A `Set-Cookie` value with this app's attributes: `HttpOnly`, `SameSite=Lax`, `Path=/`, no
/// `Domain`, `Secure` when served over https (SEC-07).
pub fn build(name: &str, value: String, max_age_secs: i64, secure: bool) -> HeaderValue {
    build_with(name, value, max_age_secs, (secure, SameSite::Lax))
}

/// Name of the pending sign-in cookie over https and on plain http.
const PENDING_COOKIE_NAMES: [&str; 2] = ["__Host-pending", "pending"];

/// The name of the pending sign-in cookie (password right, second step to come) of `config`.
pub fn pending_name(config: &Config) -> &'static str {
    PENDING_COOKIE_NAMES[usize::from(!config.secure_cookies())]
}

/// `Set-Cookie` for a pending sign-in's `token` (five minutes). `SameSite=Strict`: only this
/// site's own login page ever sends it back.
pub fn pending_set(config: &Config, token: &SessionToken, max_age_secs: i64) -> HeaderValue {
    let attrs = (config.secure_cookies(), SameSite::Strict);
    build_with(
        pending_name(config),
        token.expose().to_owned(),
        max_age_secs,
        attrs,
    )
}

/// `Set-Cookie` that deletes the pending sign-in cookie.
pub fn pending_clear(config: &Config) -> HeaderValue {
    let attrs = (config.secure_cookies(), SameSite::Strict);
    build_with(pending_name(config), String::new(), 0, attrs)
}

fn build_with(
    name: &str,
    value: String,
    max_age_secs: i64,
    attrs: (bool, SameSite),
) -> HeaderValue {
    let (secure, same_site) = attrs;
    let cookie = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(same_site)
        .max_age(Duration::seconds(max_age_secs))
        .secure(secure)
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie header is ASCII")
}

/// `Set-Cookie` value carrying a browser session's new `token` for the browser-session lifetime
/// (login, development login, password change).
pub fn signed_in_header(config: &Config, token: &SessionToken) -> HeaderValue {
    SessionCookie::of(config).set(token, config.web_lifetime.as_secs() as i64)
}

/// The headers of a response that ended the caller's own session: the session cookie deleted
/// and `Clear-Site-Data` for the cache and storage, so the browser also drops whatever the site
/// stored (SEC-11). Not `"cookies"`: that would delete the device cookie too, and then signing
/// out and in again on your own laptop would alert you as a new browser every time and lose the
/// browser's own failure budget (SEC-46). The session cookie is the only one named here.
pub fn signed_out_headers(config: &Config) -> [(HeaderName, HeaderValue); 2] {
    [
        (header::SET_COOKIE, SessionCookie::of(config).clear()),
        (
            HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static("\"cache\", \"storage\""),
        ),
    ]
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
        let jar = SessionCookie::new(true);
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
        let set = SessionCookie::new(false).set(&SessionToken::generate(), 60);
        assert!(set.to_str().unwrap().starts_with("session="));
        assert!(!set.to_str().unwrap().contains("Secure"));
    }

    // SEC-05
    #[test]
    fn reads_cookie_and_bearer() {
        let jar = SessionCookie::new(false);
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
        assert_eq!(SessionCookie::new(true).read(&headers), None);
    }

    proptest::proptest! {
        // SEC-05: any Cookie header never panics the parser; what it returns is part of the header.
        #[test]
        fn fuzz_cookie_header(raw in "[ -~]{0,300}") {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&raw) {
                headers.insert(header::COOKIE, value);
                if let Some(found) = SessionCookie::new(false).read(&headers) {
                    proptest::prop_assert!(raw.contains(found));
                    proptest::prop_assert!(raw.contains("session="));
                }
            }
        }

        // SEC-05: the same for Authorization: only the bearer scheme yields a token.
        #[test]
        fn fuzz_authorization_header(raw in "[ -~]{0,300}") {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&raw) {
                headers.insert(header::AUTHORIZATION, value);
                if let Some(token) = read_bearer(&headers) {
                    proptest::prop_assert!(raw.to_ascii_lowercase().starts_with("bearer "));
                    proptest::prop_assert!(raw.contains(token));
                }
            }
        }
    }
}
