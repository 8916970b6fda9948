//! The JSON API: `GET /api/v1/auth/sessions` (entries exactly as
//! `spec/session-summary.schema.json`), `GET /api/v1/auth/sessions/{id}` (richer fields),
//! `DELETE /api/v1/auth/sessions/{id}` and `POST /api/v1/auth/sessions/revoke-others`.

use crate::auth::current::{Credential, CurrentSession};
use crate::error::{AppError, ErrorBody};
use crate::server::{client_ip::client_ip, state::AppState};
use crate::sessions::model::{ClientInfo, Country, DeviceType, SessionKind, SessionView};
use crate::sessions::service::{self, Revoked};
use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::PathRejection},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes of the sessions API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/sessions", get(list))
        .route("/api/v1/auth/sessions/revoke-others", post(revoke_others))
        .route("/api/v1/auth/sessions/{id}", get(detail).delete(revoke))
}

/// One entry of the list (`SessionSummary` of the shared schema; no other fields).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionSummary {
    /// Stable session id; `DELETE /api/v1/auth/sessions/{id}` revokes it.
    pub id: String,
    /// RFC 3339 time the session was created.
    pub created_at: String,
    /// RFC 3339 time after which the token is no longer accepted.
    pub expires_at: String,
    /// True for the session that made this request.
    pub is_current: bool,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// User-Agent captured at creation; null when none was sent.
    pub user_agent: Option<String>,
}

/// One session with everything we know (Appwrite-style fields).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionDetail {
    /// Stable session id.
    pub id: String,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 expiry.
    pub expires_at: String,
    /// RFC 3339 time of the last request made with it (minute precision).
    pub last_active_at: String,
    /// True for the caller's own session.
    pub is_current: bool,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// Raw user agent.
    pub user_agent: Option<String>,
    /// Human name, e.g. "Firefox 132 on Ubuntu".
    pub name: String,
    /// Kind of device.
    pub device_type: DeviceType,
    /// Parsed client, OS and device.
    pub client: ClientInfo,
    /// Client IP at sign-in.
    pub ip: Option<String>,
    /// Country of that IP.
    pub country: Option<Country>,
    /// `password`, `dev` or `cli`.
    pub sign_in_method: String,
    /// MFA factors used (empty: none yet).
    pub mfa_factors: Vec<String>,
    /// User-given label.
    pub label: Option<String>,
}

impl From<SessionView> for SessionSummary {
    fn from(s: SessionView) -> Self {
        Self {
            id: s.id,
            created_at: s.created_at.rfc3339,
            expires_at: s.expires_at.rfc3339,
            is_current: s.is_current,
            kind: s.kind,
            user_agent: s.user_agent,
        }
    }
}

impl From<SessionView> for SessionDetail {
    fn from(s: SessionView) -> Self {
        Self {
            id: s.id,
            created_at: s.created_at.rfc3339,
            expires_at: s.expires_at.rfc3339,
            last_active_at: s.last_active_at.rfc3339,
            is_current: s.is_current,
            kind: s.kind,
            user_agent: s.user_agent,
            name: s.name,
            device_type: s.device,
            client: s.client,
            ip: s.ip,
            country: s.country,
            sign_in_method: s.sign_in_method,
            mfa_factors: s.mfa_factors,
            label: s.label,
        }
    }
}

/// The caller's live sessions, this one first.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Live sessions of the caller", body = Vec<SessionSummary>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 503, description = "Database unavailable", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentSession,
) -> Result<Json<Vec<SessionSummary>>, AppError> {
    let list = service::list(&state, &current).await?;
    Ok(Json(list.sessions.into_iter().map(Into::into).collect()))
}

/// One of the caller's live sessions, with parsed client, IP, country and activity.
#[utoipa::path(get, path = "/api/v1/auth/sessions/{id}", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session", body = SessionDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such live session of the caller", body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    current: CurrentSession,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SessionDetail>, AppError> {
    let id = session_id(id)?;
    if !crate::auth::token::is_public_id(&id) {
        return Err(AppError::NotFound);
    }
    let idle = state.config.idle_timeout.as_secs() as i64;
    let row =
        crate::sessions::repository::find_live(&state.db, current.user_id, &id, state.now(), idle)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(Json(service::to_view(row, &current, idle).into()))
}

/// The `{id}` path segment. One that does not even decode (e.g. invalid UTF-8) is as unknown as
/// any other malformed id: the same JSON 404, not the framework's plain-text 400 (SEC-22).
fn session_id(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    path.map(|Path(id)| id).map_err(|_| AppError::NotFound)
}

/// Query of a revoke.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RevokeQuery {
    /// Must be `true` to revoke the session making the request (otherwise 409).
    #[serde(default)]
    pub confirm_current: bool,
}

/// Revokes one of the caller's sessions at once.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "Session id"), RevokeQuery),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 404, description = "Unknown, already revoked or another user's session", body = ErrorBody),
        (status = 409, description = "This is the caller's session; repeat with confirm_current=true", body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    current: CurrentSession,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<RevokeQuery>, axum::extract::rejection::QueryRejection>,
    parts: Parts,
) -> Result<Response, AppError> {
    let id = session_id(id)?;
    let confirm = query
        .map_err(|_| AppError::invalid("confirm_current must be true or false."))?
        .0
        .confirm_current;
    let ip = client_ip(
        &parts.headers,
        &parts.extensions,
        state.config.trust_proxy_headers,
    )
    .map(|ip| ip.to_string());
    let outcome = service::revoke(&state, &current, &id, confirm, ip.as_deref()).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if outcome == Revoked::Current && current.credential == Credential::Cookie {
        response
            .headers_mut()
            .append(header::SET_COOKIE, state.cookies.clear());
    }
    Ok(response)
}

/// Body of revoke-others.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RevokeOthersRequest {
    /// The account password; needed when the last sign-in is older than the re-auth window.
    #[serde(default)]
    pub password: Option<String>,
}

/// Revokes every other session of the caller.
#[utoipa::path(post, path = "/api/v1/auth/sessions/revoke-others", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    request_body(content = RevokeOthersRequest, description = "Optional password for re-authentication"),
    responses(
        (status = 204, description = "All other sessions revoked"),
        (status = 401, description = "Not signed in or wrong password", body = ErrorBody),
        (status = 403, description = "`reauth_required`: send the password", body = ErrorBody)))]
pub async fn revoke_others(
    State(state): State<AppState>,
    current: CurrentSession,
    parts: Parts,
    body: Option<Json<RevokeOthersRequest>>,
) -> Result<StatusCode, AppError> {
    let password = body.and_then(|Json(b)| b.password);
    let ip = client_ip(
        &parts.headers,
        &parts.extensions,
        state.config.trust_proxy_headers,
    )
    .map(|ip| ip.to_string());
    service::revoke_others(&state, &current, password, ip.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
