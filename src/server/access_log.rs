//! What the access log (tower-http's `TraceLayer`) records of a request: its method, version and
//! path, with the token of a not-me link cut off (`/not-me/…`, SEC-45). Anyone who can read the
//! logs would otherwise hold a live "sign that device out" link for every alert sent.

use axum::http::{Request, Uri};
use std::borrow::Cow;
use tower_http::trace::MakeSpan;
use tracing::Span;

/// The first segment of a not-me link's path; its token follows.
const NOT_ME: &str = "not-me/";

/// The path and query of `uri` as logs show them: everything after `/not-me/` becomes `…`.
pub fn logged_uri(uri: &Uri) -> Cow<'_, str> {
    let text = uri.path_and_query().map_or("/", |p| p.as_str());
    let slashes = text.len() - text.trim_start_matches('/').len();
    if text[slashes..].starts_with(NOT_ME) {
        Cow::Owned(format!("{}…", &text[..slashes + NOT_ME.len()]))
    } else {
        Cow::Borrowed(text)
    }
}

/// The span of one request, like tower-http's default (debug level, `method`, `uri`,
/// `version`) but with [`logged_uri`].
#[derive(Clone, Copy, Debug, Default)]
pub struct AccessSpan;

impl<B> MakeSpan<B> for AccessSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        tracing::debug_span!(
            "request",
            method = %request.method(),
            uri = %logged_uri(request.uri()),
            version = ?request.version(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-45
    #[test]
    fn not_me_tokens_are_cut_from_logged_paths() {
        let logged = |uri: &str| logged_uri(&uri.parse::<Uri>().unwrap()).into_owned();
        assert_eq!(logged("/not-me/abcDEF_123-xyz"), "/not-me/…");
        assert_eq!(logged("/not-me/abcDEF_123-xyz?x=1"), "/not-me/…");
        assert_eq!(logged("//not-me/abcDEF_123-xyz"), "//not-me/…");
        assert_eq!(
            logged("/settings/sessions?kind=cli"),
            "/settings/sessions?kind=cli"
        );
        assert_eq!(logged("/api/not-me/view"), "/api/not-me/view");
        assert_eq!(logged("http://h/not-me/tok"), "/not-me/…");
    }
}
