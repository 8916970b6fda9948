//! How adapters learn who is asking: the [`Client`] of any request and the [`Caller`] of a
//! signed-in one, from the session cookie or `Authorization: Bearer` (bearer wins when both are
//! sent), resolved once per request. JSON handlers take them as extractors, server functions get
//! them from [`with_caller`]. This is also where a response learns that the caller's own session
//! ended ([`signed_out`], [`signed_out_fn`]).

use crate::auth::cookie::{SessionCookie, read_bearer, signed_out_headers};
use crate::error::AppError;
use crate::platform::{client_ip::client_ip, state::AppState};
use crate::sessions::caller::{Caller, Client, Credential};
use crate::sessions::service::{self, Ended};
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use axum::response::Response;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::convert::Infallible;
use std::net::IpAddr;

/// The address of a request (see `platform::client_ip`).
fn ip_of(state: &AppState, parts: &Parts) -> Option<IpAddr> {
    let hops = state.config.trusted_proxy_hops;
    client_ip(&parts.headers, &parts.extensions, hops)
}

/// The client of a request: its address and user agent.
pub fn client_of(state: &AppState, parts: &Parts) -> Client {
    let user_agent = parts.headers.get(header::USER_AGENT).map(|v| v.as_bytes());
    Client::new(ip_of(state, parts), user_agent)
}

/// The caller of a request; a caller resolved by an earlier layer (the page guard) is reused.
pub async fn caller_of(state: &AppState, parts: &Parts) -> Result<Caller, AppError> {
    if let Some(caller) = parts.extensions.get::<Caller>() {
        return Ok(caller.clone());
    }
    let (raw, credential) = match read_bearer(&parts.headers) {
        Some(raw) => (raw, Credential::Bearer),
        None => (
            SessionCookie::of(&state.config)
                .read(&parts.headers)
                .ok_or(AppError::Unauthenticated)?,
            Credential::Cookie,
        ),
    };
    service::authenticate(state, raw, credential, ip_of(state, parts)).await
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(client_of(state, parts))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = caller_of(state, parts).await?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// Whether a response must make the browser forget its session: the caller's own session ended
/// and the caller is a browser (a bearer client has no cookie to clear). `caller` is `None`
/// when the request's token named no live session.
fn clears_browser(caller: Option<&Caller>, ended: Ended) -> bool {
    ended.own_session && caller.is_none_or(|c| c.credential == Credential::Cookie)
}

/// `response` with the signed-out headers when `ended` includes the caller's own session.
pub fn signed_out(
    state: &AppState,
    caller: Option<&Caller>,
    ended: Ended,
    mut response: Response,
) -> Response {
    if clears_browser(caller, ended) {
        for (name, value) in signed_out_headers(&state.config) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// [`signed_out`] for a server function's response.
pub fn signed_out_fn(state: &AppState, caller: &Caller, ended: Ended) {
    let clears = clears_browser(Some(caller), ended);
    if let (true, Some(response)) = (clears, use_context::<ResponseOptions>()) {
        for (name, value) in signed_out_headers(&state.config) {
            response.append_header(name, value);
        }
    }
}

/// Runs a server function body for the signed-in caller; a plain HTML form post (JavaScript off)
/// whose session has ended is sent to `/login`. The status of an error answer is set for every
/// server function in one place, `server::fn_errors`.
pub async fn with_caller<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Caller) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(async {
        let state = state()?;
        let parts = use_context::<Parts>().ok_or_else(no_parts)?;
        let caller = caller_of(&state, &parts).await?;
        body(state, caller).await
    })
    .await
}

/// Runs a server function body; an HTML form post whose session has ended goes to `/login`.
async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = logged(body).await;
    let html = || use_context::<Parts>().as_ref().is_some_and(accepts_html);
    if result
        .as_ref()
        .is_err_and(|e| *e == AppError::Unauthenticated)
        && html()
    {
        leptos_axum::redirect("/login");
    }
    result
}

/// Runs a server function body and logs its error's cause ([`AppError::log`]): the edge of
/// every server function, whether called over HTTP or while rendering a page.
pub async fn logged<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        error.log();
    }
    result
}

/// The error of a server function run without its request (a bug).
pub fn no_parts() -> AppError {
    AppError::internal("no request parts in the server function's context")
}

fn accepts_html(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The state of the server function being answered.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("no AppState in the context"))
}
