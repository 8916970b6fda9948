//! `POST /login`, `POST /login/code` (the second step), `POST /logout` and the development-only
//! `POST /login/dev`: plain HTML form endpoints, so signing in and out works with JavaScript off. A request that asks for JSON
//! (`Accept: application/json`) gets statuses and JSON errors instead of redirects.

use crate::auth::cookie::{pending_clear, pending_name, pending_set, read_named, signed_in_header};
use crate::auth::devices;
use crate::auth::extract::{caller_of, signed_out};
use crate::auth::service::{self, LoginOutcome, SecondStep, SignedIn};
use crate::error::AppError;
use crate::factors::service::PENDING_SECS;
use crate::platform::{state::AppState, url::with_query};
use crate::sessions::token::SessionToken;
use crate::sessions::{
    caller::{Caller, Client},
    service::Ended,
};
use active_sessions_api::LoginResponse;
use axum::{
    Form, Json,
    extract::{State, rejection::FormRejection},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

/// Where a successful login goes unless a safe `next` is given.
pub const AFTER_LOGIN: &str = "/settings/sessions";

/// Fields of the login form.
#[derive(Deserialize)]
pub struct LoginForm {
    /// Account email.
    pub email: String,
    /// Password (at most 1 KiB).
    pub password: String,
    /// Relative path to go to afterwards.
    #[serde(default)]
    pub next: Option<String>,
}

/// Whether the client wants JSON answers rather than redirects.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"))
}

/// Only same-site relative paths are followed after login (no open redirect).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n
        }
        _ => AFTER_LOGIN,
    }
}

fn login_error(err: AppError, json: bool, next: Option<&str>) -> Response {
    if json {
        return err.into_response();
    }
    err.log();
    let retry_after = match err {
        AppError::RateLimited { retry_after } => Some(retry_after.to_string()),
        _ => None,
    };
    let next = next.filter(|n| safe_next(Some(n)) == *n);
    let url = with_query(
        "/login",
        &[
            ("error", Some(err.code().as_str())),
            ("retry_after", retry_after.as_deref()),
            ("next", next),
        ],
    );
    Redirect::to(&url).into_response()
}

/// The session the browser already had, if any (a login replaces it, SEC-04). The service calls
/// this only once the password proved right.
async fn previous(state: &AppState, parts: &Parts) -> Option<Caller> {
    caller_of(state, parts).await.ok()
}

/// `POST /login`: checks the password and starts a new web session.
pub async fn login(
    State(state): State<AppState>,
    parts: Parts,
    client: Client,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let json = wants_json(&parts.headers);
    let Ok(Form(form)) = form else {
        let err = AppError::invalid("Send the fields email and password.");
        return login_error(err, json, None);
    };
    let next = form.next.as_deref();
    let previous = || previous(&state, &parts);
    let device = devices::read(&state.config, &parts.headers);
    let (email, password) = (&form.email, form.password);
    let outcome = service::login(&state, &client, previous, device.as_ref(), email, password);
    match outcome.await {
        Ok(LoginOutcome::SignedIn(signed_in)) => signed_in_response(&state, signed_in, json, next),
        Ok(LoginOutcome::SecondStep { token, methods }) => {
            second_step_response(&state, &token, methods, json, next)
        }
        Err(e) => login_error(e, json, next),
    }
}

/// The answer to a completed sign-in: the session cookie (and a device cookie for a new
/// browser), then `{"id"}` for JSON clients or the redirect to `next`.
fn signed_in_response(
    state: &AppState,
    signed_in: SignedIn,
    json: bool,
    next: Option<&str>,
) -> Response {
    let cookie = signed_in_header(&state.config, &signed_in.session.token);
    let mut response = if json {
        let id = signed_in.session.public_id;
        Json(LoginResponse { id }).into_response()
    } else {
        Redirect::to(safe_next(next)).into_response()
    };
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookie);
    headers.append(header::SET_COOKIE, pending_clear(&state.config));
    if let Some(device) = &signed_in.new_device {
        headers.append(header::SET_COOKIE, devices::set(&state.config, device));
    }
    response
}

/// The answer to a right password on an account with two-step sign-in: the pending cookie, then
/// 401 `second_step_required` (with the token and how to finish) for JSON clients, or the login
/// page's code form.
fn second_step_response(
    state: &AppState,
    token: &SessionToken,
    methods: Vec<String>,
    json: bool,
    next: Option<&str>,
) -> Response {
    let mut response = if json {
        let pending = token.expose().to_owned();
        AppError::SecondStepRequired { pending, methods }.into_response()
    } else {
        let next = next.filter(|n| safe_next(Some(n)) == *n);
        Redirect::to(&with_query(
            "/login",
            &[("step", Some("code")), ("next", next)],
        ))
        .into_response()
    };
    let cookie = pending_set(&state.config, token, PENDING_SECS);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

/// Fields of the second-step form.
#[derive(Deserialize)]
pub struct CodeForm {
    /// An authenticator code or a recovery code.
    pub code: String,
    /// The pending sign-in's token, for clients without the cookie (JSON).
    #[serde(default)]
    pub pending: Option<String>,
    /// Relative path to go to afterwards.
    #[serde(default)]
    pub next: Option<String>,
}

/// `POST /login/code`: finishes a pending sign-in with a code.
pub async fn login_code(
    State(state): State<AppState>,
    parts: Parts,
    client: Client,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Response {
    let json = wants_json(&parts.headers);
    let Ok(Form(form)) = form else {
        let err = AppError::invalid("Send the field code.");
        return code_error(err, json, None);
    };
    let next = form.next.as_deref();
    let cookie = read_named(&parts.headers, pending_name(&state.config));
    let pending = form.pending.as_deref().or(cookie).unwrap_or_default();
    let step = SecondStep {
        pending,
        code: &form.code,
    };
    let previous = || previous(&state, &parts);
    match service::complete_second_step(&state, &client, previous, step).await {
        Ok(signed_in) => signed_in_response(&state, signed_in, json, next),
        Err(e) => code_error(e, json, next),
    }
}

/// A refused second step: JSON as is; a browser goes back to the code form, or to the password
/// form when the pending sign-in is gone.
fn code_error(err: AppError, json: bool, next: Option<&str>) -> Response {
    if json || !matches!(err, AppError::InvalidCode { .. }) {
        return login_error(err, json, next);
    }
    let next = next.filter(|n| safe_next(Some(n)) == *n);
    let pairs = [
        ("step", Some("code")),
        ("error", Some(err.code().as_str())),
        ("next", next),
    ];
    Redirect::to(&with_query("/login", &pairs)).into_response()
}

/// `POST /logout`: ends the caller's session, clears the cookie and site data (SEC-11).
pub async fn logout(State(state): State<AppState>, parts: Parts) -> Response {
    let response = if wants_json(&parts.headers) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Redirect::to("/login").into_response()
    };
    match caller_of(&state, &parts).await {
        Ok(caller) => match service::logout(&state, &caller).await {
            Ok(ended) => signed_out(&state, Some(&caller), ended, response),
            Err(e) => e.into_response(),
        },
        // No live session: the browser's cookie is stale; clear it all the same.
        Err(_) => signed_out(&state, None, Ended::STALE, response),
    }
}

/// `POST /login/dev` (only routed when `DEV_LOGIN=true`): one click into the demo account.
pub async fn dev_login(State(state): State<AppState>, parts: Parts, client: Client) -> Response {
    match service::dev_login(&state, &client, || previous(&state, &parts)).await {
        Ok(created) => {
            let cookie = signed_in_header(&state.config, &created.token);
            ([(header::SET_COOKIE, cookie)], Redirect::to(AFTER_LOGIN)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(safe_next(Some("/settings/password")), "/settings/password");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "evil",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), AFTER_LOGIN, "{bad}");
        }
        assert_eq!(safe_next(None), AFTER_LOGIN);
    }
}
