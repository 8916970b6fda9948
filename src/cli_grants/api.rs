//! `POST /api/v1/auth/cli/start` and `POST /api/v1/auth/cli/redeem` (RFC 8628-style device flow).

use crate::cli_grants::service::{self, GRANT_LIFETIME_SECS, POLL_INTERVAL_SECS};
use crate::error::{AppError, AppJson, ErrorBody, JsonBody};
use crate::platform::state::AppState;
use crate::sessions::{caller::Client, presenter::rfc3339};
use active_sessions_api::{IssuedToken, RedeemRequest, StartedGrant, paths};
use axum::{Json, Router, extract::State, routing::post};

/// Routes of the grant flow.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::CLI_START, post(start))
        .route(paths::CLI_REDEEM, post(redeem))
}

/// The site's link to `path`: under `PUBLIC_URL`, else the configured listening address (a
/// wildcard bind becomes `localhost`). Never the request's `Host` header, which the requester
/// controls (a phishing link on our own domain otherwise).
fn link(state: &AppState, path: &str) -> String {
    if let Some(url) = &state.config.public_url {
        return url.link(path);
    }
    let addr = state.leptos_options.site_addr;
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}{path}", addr.port())
    } else {
        format!("http://{addr}{path}")
    }
}

/// Starts a CLI sign-in.
#[utoipa::path(post, path = "/api/v1/auth/cli/start", tag = "cli",
    responses(
        (status = 200, description = "Grant started", body = StartedGrant),
        (status = 429, description = "Too many grants from this address", body = ErrorBody),
        (status = 503, description = "Database unavailable", body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    client: Client,
) -> Result<Json<StartedGrant>, AppError> {
    let started = service::start(&state, &client).await?;
    Ok(Json(StartedGrant {
        device_code: started.device_code.expose().to_owned(),
        verification_uri: link(&state, "/cli/approve"),
        verification_uri_complete: link(
            &state,
            &format!("/cli/approve?code={}", started.user_code),
        ),
        user_code: started.user_code,
        expires_in: GRANT_LIFETIME_SECS,
        interval: POLL_INTERVAL_SECS,
    }))
}

impl JsonBody for RedeemRequest {
    const INVALID: &'static str = "Send JSON {\"device_code\": \"…\"}.";
}

/// Exchanges an approved grant for a `cli` session token (once).
#[utoipa::path(post, path = "/api/v1/auth/cli/redeem", tag = "cli", request_body = RedeemRequest,
    responses(
        (status = 200, description = "Approved: here is the token", body = IssuedToken),
        (status = 400, description = "`authorization_pending`, `access_denied`, `expired_token` or `invalid_grant`", body = ErrorBody),
        (status = 429, description = "Polling too fast", body = ErrorBody)))]
pub async fn redeem(
    State(state): State<AppState>,
    client: Client,
    AppJson(body): AppJson<RedeemRequest>,
) -> Result<Json<IssuedToken>, AppError> {
    let created = service::redeem(&state, &client, &body.device_code).await?;
    Ok(Json(IssuedToken {
        token: created.token.expose().to_owned(),
        token_type: "Bearer".into(),
        session_id: created.public_id,
        expires_at: rfc3339(created.expires_at),
    }))
}
