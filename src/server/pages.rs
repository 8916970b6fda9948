//! The page guard: signed-out visitors of private pages are sent to `/login` before anything is
//! rendered; signed-in ones have their session resolved once and stored for the page's server
//! functions.

use crate::auth::extract::caller_of;
use crate::error::AppError;
use crate::platform::{state::AppState, url::with_query};
use axum::{
    extract::{Request, State},
    http::Method,
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
pub async fn page_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || !is_private(request.uri().path()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let caller = caller_of(&state, &parts).await;
    let mut request = Request::from_parts(parts, body);
    match caller {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(AppError::Unauthenticated) => {
            let target = request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/");
            Redirect::to(&with_query("/login", &[("next", Some(target))])).into_response()
        }
        Err(err) => {
            err.log();
            (
            err.status(),
            Html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unavailable</title></head>\
                 <body><main><h1>Active sessions</h1><p role=\"alert\">{err}</p>\
                 <p><a href=\"\">Try again</a></p></main></body></html>"
            )),
        )
            .into_response()
        }
    }
}
