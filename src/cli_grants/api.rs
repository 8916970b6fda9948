//! `POST /api/v1/auth/cli/start` and `POST /api/v1/auth/cli/redeem` (RFC 8628-style device flow).

use crate::auth::token::SessionToken;
use crate::cli_grants::{
    code,
    repository::{self, RedeemRefusal},
};
use crate::error::{AppError, ErrorBody};
use crate::server::{client_ip::client_ip, state::AppState};
use crate::sessions::repository::clean_user_agent;
use crate::sessions::service::rfc3339;
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header, request::Parts},
    routing::post,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Seconds a grant stays valid.
pub const GRANT_LIFETIME_SECS: i64 = 600;
/// Seconds the CLI should wait between redeem attempts.
pub const POLL_INTERVAL_SECS: i64 = 2;

/// Routes of the grant flow.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/cli/start", post(start))
        .route("/api/v1/auth/cli/redeem", post(redeem))
}

/// A started grant: show `user_code` and `verification_uri` to the person, poll with `device_code`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StartedGrant {
    /// Secret the CLI redeems with (keep it private).
    pub device_code: String,
    /// Short code the person confirms in the browser, `XXXX-XXXX`.
    pub user_code: String,
    /// Page where a signed-in person approves.
    pub verification_uri: String,
    /// The same page with the code filled in.
    pub verification_uri_complete: String,
    /// Seconds until the grant expires.
    pub expires_in: i64,
    /// Seconds to wait between redeem attempts.
    pub interval: i64,
}

/// Body of a redeem.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RedeemRequest {
    /// The `device_code` from start.
    pub device_code: String,
}

/// A redeemed grant: a bearer token of a new `cli` session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IssuedToken {
    /// Bearer token for `Authorization: Bearer …`. Shown once.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Public id of the new session (as listed by `GET /api/v1/auth/sessions`).
    pub session_id: String,
    /// RFC 3339 absolute expiry.
    pub expires_at: String,
}

fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| state.leptos_options.site_addr.to_string());
    format!("http://{host}")
}

fn caller_ip(state: &AppState, parts: &Parts) -> Option<String> {
    client_ip(
        &parts.headers,
        &parts.extensions,
        state.config.trust_proxy_headers,
    )
    .map(|ip| ip.to_string())
}

/// Starts a CLI sign-in.
#[utoipa::path(post, path = "/api/v1/auth/cli/start", tag = "cli",
    responses(
        (status = 200, description = "Grant started", body = StartedGrant),
        (status = 429, description = "Too many grants from this address", body = ErrorBody),
        (status = 503, description = "Database unavailable", body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    parts: Parts,
) -> Result<Json<StartedGrant>, AppError> {
    let ip = caller_ip(&state, &parts);
    let headers = &parts.headers;
    let now = state.now();
    state
        .grant_limiter
        .hit(&format!("start:{}", ip.as_deref().unwrap_or_default()), now)
        .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    let device_code = SessionToken::generate();
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| clean_user_agent(v.as_bytes()));
    let mut user_code = code::generate();
    // A clash with a live code is astronomically rare; try a few fresh codes before giving up.
    let mut attempts = 0;
    loop {
        match repository::create(
            &state.db,
            &device_code,
            &user_code,
            user_agent.clone(),
            ip.clone(),
            now,
            now + GRANT_LIFETIME_SECS,
        )
        .await
        {
            Ok(()) => break,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && attempts < 3 => {
                attempts += 1;
                user_code = code::generate();
            }
            Err(e) => return Err(e.into()),
        }
    }
    let base = base_url(&state, headers);
    Ok(Json(StartedGrant {
        device_code: device_code.expose().to_owned(),
        verification_uri: format!("{base}/cli/approve"),
        verification_uri_complete: format!("{base}/cli/approve?code={user_code}"),
        user_code,
        expires_in: GRANT_LIFETIME_SECS,
        interval: POLL_INTERVAL_SECS,
    }))
}

/// Exchanges an approved grant for a `cli` session token (once).
#[utoipa::path(post, path = "/api/v1/auth/cli/redeem", tag = "cli", request_body = RedeemRequest,
    responses(
        (status = 200, description = "Approved: here is the token", body = IssuedToken),
        (status = 400, description = "`authorization_pending`, `access_denied`, `expired_token` or `invalid_grant`", body = ErrorBody),
        (status = 429, description = "Polling too fast", body = ErrorBody)))]
pub async fn redeem(
    State(state): State<AppState>,
    parts: Parts,
    body: Result<Json<RedeemRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<IssuedToken>), AppError> {
    let Json(body) = body.map_err(|_| AppError::invalid("Send JSON {\"device_code\": \"…\"}."))?;
    let ip = caller_ip(&state, &parts);
    let now = state.now();
    state
        .grant_limiter
        .hit(
            &format!("redeem:{}", ip.as_deref().unwrap_or_default()),
            now,
        )
        .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    let device_code = SessionToken::parse(&body.device_code).ok_or(AppError::InvalidGrant)?;
    let lifetime = state.config.cli_lifetime.as_secs() as i64;
    match repository::redeem(
        &state.db,
        &device_code.hash(),
        lifetime,
        state.config.max_sessions_per_user,
        now,
    )
    .await?
    {
        Ok(created) => Ok((
            StatusCode::OK,
            Json(IssuedToken {
                token: created.token.expose().to_owned(),
                token_type: "Bearer".into(),
                session_id: created.public_id,
                expires_at: rfc3339(created.expires_at),
            }),
        )),
        Err(RedeemRefusal::Pending) => Err(AppError::AuthorizationPending),
        Err(RedeemRefusal::Denied) => Err(AppError::AccessDenied),
        Err(RedeemRefusal::Expired) => Err(AppError::ExpiredToken),
        Err(RedeemRefusal::Invalid) => Err(AppError::InvalidGrant),
    }
}
