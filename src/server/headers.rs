//! Response headers every answer carries (SEC-09), as tower-http layers: nosniff, a referrer
//! policy, framing forbidden, a strict default CSP (pages set their own, with the script nonce),
//! no caching (static assets set their own), and HSTS over https.

use crate::platform::csp::API_CSP;
use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
    response::Response,
};
use tower_http::set_header::SetResponseHeaderLayer;

/// `router` with the security headers on every response; `hsts` when served over https.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    hsts: bool,
) -> Router<S> {
    let fixed = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let default = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(header::REFERRER_POLICY, "same-origin"))
        .layer(fixed(header::X_FRAME_OPTIONS, "DENY"))
        .layer(fixed(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(default(header::CONTENT_SECURITY_POLICY, API_CSP))
        .layer(default(header::CACHE_CONTROL, "no-store"))
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response| {
                hsts.then(|| HeaderValue::from_static("max-age=63072000; includeSubDomains"))
            },
        ))
}
