//! The page guard: signed-out visitors of private pages are sent to `/login` before anything is
//! rendered; signed-in ones have their session resolved once and stored for the page's server
//! functions.

use crate::auth::current::authenticate;
use crate::error::AppError;
use crate::server::state::AppState;
use axum::{
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};

/// Pages that need a session.
const PRIVATE_PREFIXES: &[&str] = &["/settings", "/cli/approve"];

/// Whether `path` is a private page.
pub fn is_private(path: &str) -> bool {
    PRIVATE_PREFIXES
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// Middleware for `GET` of private pages.
pub async fn page_guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET || !is_private(request.uri().path()) {
        return next.run(request).await;
    }
    match authenticate(&state, request.headers()).await {
        Ok(current) => {
            request.extensions_mut().insert(current);
            next.run(request).await
        }
        Err(AppError::Unauthenticated) => {
            let target = request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/");
            let encoded: String = url_escape(target);
            Redirect::to(&format!("/login?next={encoded}")).into_response()
        }
        Err(err) => (
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unavailable</title></head>\
                 <body><main><h1>Active sessions</h1><p role=\"alert\">{err}</p>\
                 <p><a href=\"\">Try again</a></p></main></body></html>"
            )),
        )
            .into_response(),
    }
}

/// Percent-encodes `value` for a query string (keeping `/`).
pub fn url_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
