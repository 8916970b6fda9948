//! What every server function body starts with: the shared state, the caller's session and IP,
//! and one way to answer an error (a proper status for `fetch` callers; for plain HTML form posts
//! the redirect Leptos makes back to the page, or `/login` when the session is gone).

use crate::auth::current::{CurrentSession, from_parts};
use crate::error::AppError;
use crate::server::{client_ip::client_ip, state::AppState};
use axum::http::{StatusCode, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The request a server function is answering.
pub struct FnContext {
    /// Shared state.
    pub state: AppState,
    /// The request head.
    pub parts: Parts,
}

impl FnContext {
    /// The state and request head from Leptos' context.
    pub fn get() -> Result<Self, AppError> {
        let state = use_context::<AppState>().ok_or(AppError::Internal)?;
        let parts = use_context::<Parts>().ok_or(AppError::Internal)?;
        Ok(Self { state, parts })
    }

    /// The caller's session, or `Unauthenticated`.
    pub async fn session(&self) -> Result<CurrentSession, AppError> {
        from_parts(&self.state, &self.parts).await
    }

    /// The caller's IP as text.
    pub fn ip(&self) -> Option<String> {
        client_ip(
            &self.parts.headers,
            &self.parts.extensions,
            self.state.config.trust_proxy_headers,
        )
        .map(|ip| ip.to_string())
    }

    /// Whether this is a plain HTML form post (JavaScript off).
    pub fn is_html_form(&self) -> bool {
        accepts_html(&self.parts)
    }
}

fn accepts_html(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Runs a server function body and maps its error to the response: the status for `fetch`
/// callers, a redirect to `/login` for a form post whose session has ended.
pub async fn respond<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        let html = use_context::<Parts>().as_ref().is_some_and(accepts_html);
        if html {
            if *err == AppError::Unauthenticated {
                leptos_axum::redirect("/login");
            }
        } else if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}
