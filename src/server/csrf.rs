//! Cross-site request protection for every state-changing request (SEC-24): login, logout, server
//! functions and the JSON API.
//!
//! Browsers label requests with `Sec-Fetch-Site` (and `Origin`); a request another site makes a
//! browser send is refused. Requests without either header do not come from a browser page
//! (curl, the CLI with its bearer token) and cannot carry a victim's cookie, so they pass. This is
//! the algorithm of Go's `http.CrossOriginProtection`.

use crate::error::AppError;
use axum::{
    extract::Request,
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Middleware: refuses cross-site unsafe requests with 403 `forbidden`.
pub async fn cross_origin_guard(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(
            method = %request.method(),
            uri = %crate::server::access_log::logged_uri(request.uri()),
            "refused cross-site request"
        );
        AppError::Forbidden.into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether an unsafe request may proceed.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(host)) = (
        origin.to_str(),
        headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    ) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

/// Whether a request may record a visit of the sessions page ("New" badges count from it): only
/// a request the page itself made (its server function, `same-origin`) or a navigation the
/// person started (address bar or bookmark, `none`). A cross-site link or a client that sends no
/// fetch metadata reads the page but records nothing (SEC-42): `SameSite=Lax` would let another
/// site's top-level link carry the cookie and clear the badges.
pub fn may_record_visit(headers: &HeaderMap) -> bool {
    matches!(
        headers.get("sec-fetch-site").map(|v| v.as_bytes()),
        Some(b"same-origin" | b"none")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    // SEC-24
    #[test]
    fn decides_by_fetch_metadata_then_origin() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://a.test:3000"),
            ("host", "a.test:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "http://evil.test"),
            ("host", "a.test:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "a.test")
        ])));
        assert!(is_same_origin(&headers(&[])), "non-browser clients pass");
    }
}
