//! `POST /login`, `POST /logout` and the development-only `POST /login/dev`: plain HTML form
//! endpoints, so signing in and out works with JavaScript off. A request that asks for JSON
//! (`Accept: application/json`) gets statuses and JSON errors instead of redirects.

use crate::auth::current::{CurrentSession, authenticate};
use crate::auth::password::MAX_PASSWORD_BYTES;
use crate::error::AppError;
use crate::server::{client_ip::client_ip, state::AppState};
use crate::sessions::model::SessionKind;
use crate::sessions::repository::{self, NewSession, Revoker};
use crate::users::{email::Email, repository as users};
use axum::{
    Form, Json,
    extract::{Request, State, rejection::FormRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

/// Where a successful login goes unless a safe `next` is given.
pub const AFTER_LOGIN: &str = "/settings/sessions";
/// Email of the development demo account.
pub const DEMO_EMAIL: &str = "demo@example.com";

/// Fields of the login form.
#[derive(Debug, Deserialize)]
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
    let mut url = format!("/login?error={}", err.code());
    if let AppError::RateLimited { retry_after } = err {
        url.push_str(&format!("&retry_after={retry_after}"));
    }
    if let Some(next) = next.filter(|n| safe_next(Some(n)) == *n) {
        url.push_str("&next=");
        url.push_str(&crate::server::pages::url_escape(next));
    }
    Redirect::to(&url).into_response()
}

/// `POST /login`: checks the password and starts a new web session.
pub async fn login(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let json = wants_json(&parts.headers);
    let form: Result<Form<LoginForm>, FormRejection> =
        <Form<LoginForm> as axum::extract::FromRequest<AppState>>::from_request(
            Request::from_parts(parts.clone(), body),
            &state,
        )
        .await;
    let Ok(Form(form)) = form else {
        return login_error(
            AppError::invalid("Send the fields email and password."),
            json,
            None,
        );
    };
    let next = form.next.as_deref();
    if form.password.len() > MAX_PASSWORD_BYTES {
        return login_error(
            AppError::invalid(format!(
                "The password must be at most {MAX_PASSWORD_BYTES} bytes."
            )),
            json,
            next,
        );
    }
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(message) => return login_error(AppError::invalid(message), json, next),
    };

    let ip = client_ip(
        &parts.headers,
        &parts.extensions,
        state.config.trust_proxy_headers,
    );
    let ip_key = format!("ip:{}", ip.map(|i| i.to_string()).unwrap_or_default());
    let account_key = format!("account:{}", email.as_str());
    let now = state.now();
    for key in [&ip_key, &account_key] {
        if let Err(retry_after) = state.login_limiter.check(key, now) {
            tracing::warn!(event = "login_rate_limited", ip = ?ip, "auth event");
            return login_error(AppError::RateLimited { retry_after }, json, next);
        }
    }

    let user = match users::find_by_email(&state.db, email.as_str()).await {
        Ok(user) => user,
        Err(e) => return login_error(e.into(), json, next),
    };
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let verified = match state.hasher.verify(form.password, phc).await {
        Ok(ok) => ok,
        Err(e) => return login_error(e.into(), json, next),
    };
    let user = match user {
        Some(user) if verified && user.disabled_at.is_none() => user,
        _ => {
            state.login_limiter.record(&ip_key, now);
            state.login_limiter.record(&account_key, now);
            tracing::info!(event = "login_failed", ip = ?ip, "auth event");
            return login_error(AppError::InvalidCredentials, json, next);
        }
    };
    state.login_limiter.reset(&account_key);

    let previous = authenticate(&state, &parts.headers).await.ok();
    let ua = parts.headers.get(header::USER_AGENT).map(|v| v.as_bytes());
    match start_session(
        &state,
        user.id,
        "password",
        ua,
        ip.map(|i| i.to_string()),
        previous,
    )
    .await
    {
        Ok(response_cookie) => {
            let mut response = if json {
                (
                    StatusCode::OK,
                    Json(serde_json::json!({ "id": response_cookie.1 })),
                )
                    .into_response()
            } else {
                Redirect::to(safe_next(next)).into_response()
            };
            response
                .headers_mut()
                .append(header::SET_COOKIE, response_cookie.0);
            response
        }
        Err(e) => login_error(e, json, next),
    }
}

/// Creates a web session and returns its `Set-Cookie` header and public id. A session the
/// browser already had is ended: a login never adopts or keeps a client-held token (SEC-04).
async fn start_session(
    state: &AppState,
    user_id: i64,
    method: &str,
    user_agent: Option<&[u8]>,
    ip: Option<String>,
    previous: Option<CurrentSession>,
) -> Result<(HeaderValue, String), AppError> {
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    if let Some(previous) = &previous {
        let by = Revoker {
            by_session_id: None,
            by_public_id: None,
            reason: "replaced_by_login",
            ip: ip.as_deref(),
        };
        repository::revoke_in(&mut tx, previous.user_id, &previous.public_id, by, now).await?;
    }
    let lifetime = state.config.web_lifetime.as_secs() as i64;
    let created = repository::create_in(
        &mut tx,
        NewSession {
            user_id,
            kind: SessionKind::Web,
            sign_in_method: method,
            user_agent,
            ip,
            lifetime_secs: lifetime,
        },
        now,
        state.config.max_sessions_per_user,
    )
    .await?;
    tx.commit().await?;
    Ok((
        state.cookies.set(&created.token, lifetime),
        created.public_id,
    ))
}

/// `POST /logout`: revokes the caller's session and clears the cookie (SEC-11).
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Ok(current) = authenticate(&state, &headers).await {
        let by = Revoker {
            by_session_id: Some(current.session_id),
            by_public_id: Some(&current.public_id),
            reason: "logout",
            ip: None,
        };
        if let Err(e) = repository::revoke(
            &state.db,
            current.user_id,
            &current.public_id,
            by,
            state.now(),
        )
        .await
        {
            return AppError::from(e).into_response();
        }
    }
    let mut response = if wants_json(&headers) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Redirect::to("/login").into_response()
    };
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, state.cookies.clear());
    h.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    response
}

/// `POST /login/dev` (only routed when `DEV_LOGIN=true`): one click into the demo account.
pub async fn dev_login(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let now = state.now();
    let user_id = match users::find_by_email(&state.db, DEMO_EMAIL).await {
        Ok(Some(user)) => user.id,
        Ok(None) => {
            // The demo account gets a random password nobody knows: only this route opens it.
            let secret = crate::auth::token::SessionToken::generate();
            let hash = match state.hasher.hash(secret.expose().to_owned()).await {
                Ok(hash) => hash,
                Err(e) => return AppError::from(e).into_response(),
            };
            match users::create(&state.db, DEMO_EMAIL, &hash, now).await {
                Ok(id) => id,
                Err(users::CreateUserError::Duplicate) => {
                    match users::find_by_email(&state.db, DEMO_EMAIL).await {
                        Ok(Some(user)) => user.id,
                        _ => return AppError::Internal.into_response(),
                    }
                }
                Err(users::CreateUserError::Db(e)) => return AppError::from(e).into_response(),
            }
        }
        Err(e) => return AppError::from(e).into_response(),
    };
    let ip = client_ip(
        &parts.headers,
        &parts.extensions,
        state.config.trust_proxy_headers,
    );
    let previous = authenticate(&state, &parts.headers).await.ok();
    let ua = parts.headers.get(header::USER_AGENT).map(|v| v.as_bytes());
    match start_session(
        &state,
        user_id,
        "dev",
        ua,
        ip.map(|i| i.to_string()),
        previous,
    )
    .await
    {
        Ok((cookie, _)) => {
            let mut response = Redirect::to(AFTER_LOGIN).into_response();
            response.headers_mut().append(header::SET_COOKIE, cookie);
            response
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
