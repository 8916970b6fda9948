//! Server functions answer their errors with the status the error stands for. Leptos sends 500
//! for every server function error — from the body, or before it runs (arguments that do not
//! decode, for one), which would report a client's malformed input as our failure (SEC-25). Their
//! body is an [`AppError`]; this layer, the one place that does so, reads it back and sets its
//! status.

use crate::error::AppError;
use axum::{
    body::Body,
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Server function routes (the JSON API under `/api/v1/` has its own error responses).
fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1/")
}

/// Largest error body read back.
const MAX_ERROR_BYTES: usize = 16 * 1024;

/// Middleware: a 500 from a server function whose body is a client-side error gets that error's
/// status.
pub async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let server_fn = is_server_fn(request.uri().path());
    let response = next.run(request).await;
    if !server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return AppError::internal("server function error body unreadable").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}
