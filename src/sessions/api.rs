//! The JSON API: `GET /api/v1/auth/sessions` (entries exactly as
//! `spec/session-summary.schema.json`), `GET /api/v1/auth/sessions/{id}` (richer fields),
//! `PATCH` (rename) and `DELETE /api/v1/auth/sessions/{id}`, `GET /api/v1/auth/sessions/ended`
//! and `POST /api/v1/auth/sessions/revoke-others` and `…/revoke-weak`.

use crate::auth::extract::signed_out;
use crate::error::{AppError, AppJson, ErrorBody, JsonBody};
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service;
use active_sessions_api::{
    EndedSession, RenameRequest, RevokeOthersRequest, SessionDetail, SessionSummary, paths,
};
use axum::{
    Json, Router,
    extract::{
        Path, Query, State,
        rejection::{PathRejection, QueryRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Routes of the sessions API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::SESSIONS, get(list))
        .route(paths::REVOKE_OTHERS, post(revoke_others))
        .route(paths::REVOKE_WEAK, post(revoke_weak))
        .route(paths::SESSIONS_ENDED, get(ended))
        .route(paths::SESSIONS_DETAILS, get(details))
        .route(
            "/api/v1/auth/sessions/{id}",
            get(detail).patch(rename).delete(revoke),
        )
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
    caller: Caller,
) -> Result<Json<Vec<SessionSummary>>, AppError> {
    let list = service::list(&state, &caller).await?;
    Ok(Json(list.sessions.into_iter().map(Into::into).collect()))
}

/// The caller's live sessions with every detail (name, label, place, activity), this one first:
/// what the page shows, in one request.
#[utoipa::path(get, path = "/api/v1/auth/sessions/details", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Live sessions of the caller, detailed", body = Vec<SessionDetail>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 503, description = "Database unavailable", body = ErrorBody)))]
pub async fn details(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SessionDetail>>, AppError> {
    let list = service::list(&state, &caller).await?;
    Ok(Json(list.sessions.into_iter().map(Into::into).collect()))
}

/// The caller's sessions that ended in the last 30 days, newest first: how, by which session, and
/// whether their token was presented again afterwards (refused).
#[utoipa::path(get, path = "/api/v1/auth/sessions/ended", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Recently ended sessions of the caller", body = Vec<EndedSession>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 503, description = "Database unavailable", body = ErrorBody)))]
pub async fn ended(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<EndedSession>>, AppError> {
    let ended = service::ended(&state, &caller).await?;
    Ok(Json(ended.into_iter().map(|e| e.api).collect()))
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
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SessionDetail>, AppError> {
    let view = service::detail(&state, &caller, &session_id(id)?).await?;
    Ok(Json(view.into()))
}

/// The `{id}` path segment. One that does not even decode (e.g. invalid UTF-8) is as unknown as
/// any other malformed id: the same JSON 404, not the framework's plain-text 400 (SEC-22).
fn session_id(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    path.map(|Path(id)| id).map_err(|_| AppError::NotFound)
}

/// Names one of the caller's sessions (`{"label": "Work laptop"}`), or removes its name (`null`).
#[utoipa::path(patch, path = "/api/v1/auth/sessions/{id}", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "Session id")),
    request_body(content = RenameRequest, description = "The new name; null or blank removes it"),
    responses(
        (status = 200, description = "The session, renamed", body = SessionDetail),
        (status = 400, description = "The name is too long, has control, text-direction, invisible or formatting characters, stacks more than two marks, shows nothing, or the body is not JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 404, description = "No such live session of the caller", body = ErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    AppJson(body): AppJson<RenameRequest>,
) -> Result<Json<SessionDetail>, AppError> {
    let id = session_id(id)?;
    let view = service::rename(&state, &caller, &id, body.label.as_deref()).await?;
    Ok(Json(view.into()))
}

impl JsonBody for RenameRequest {
    const INVALID: &'static str = "Send a JSON body like {\"label\": \"Work laptop\"} (or null).";
}

/// Query of a revoke.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RevokeQuery {
    /// Must be `true` to revoke the session making the request (otherwise 409).
    #[serde(default)]
    pub confirm_current: bool,
}

/// `confirm_current` of a revoke's query; a malformed query is a clear 400.
fn confirm_current(query: Result<Query<RevokeQuery>, QueryRejection>) -> Result<bool, AppError> {
    let Query(query) =
        query.map_err(|_| AppError::invalid("confirm_current must be true or false."))?;
    Ok(query.confirm_current)
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
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<RevokeQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let id = session_id(id)?;
    let confirm_current = confirm_current(query)?;
    let asked = service::RevokeRequest {
        id: &id,
        confirm_current,
        also_approved: false,
    };
    let ended = service::revoke(&state, &caller, asked).await?;
    let response = StatusCode::NO_CONTENT.into_response();
    Ok(signed_out(&state, Some(&caller), ended, response))
}

/// Revokes every other session of the caller.
#[utoipa::path(post, path = "/api/v1/auth/sessions/revoke-others", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    request_body(content = RevokeOthersRequest, description = "Optional password for re-authentication"),
    responses(
        (status = 204, description = "All other sessions revoked"),
        (status = 401, description = "Not signed in or wrong password", body = ErrorBody),
        (status = 403, description = "`reauth_required`: send the password; `step_up_required`: send the password and `code` from the authenticator app (`method`)", body = ErrorBody)))]
pub async fn revoke_others(
    State(state): State<AppState>,
    caller: Caller,
    body: Option<Json<RevokeOthersRequest>>,
) -> Result<StatusCode, AppError> {
    let proofs = body.map_or_else(Default::default, |Json(b)| crate::auth::service::Reauth {
        password: b.password,
        code: b.code,
    });
    let _ = crate::auth::service::sign_out_others(&state, &caller, proofs).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the caller that signed in without two-step (password only), on an
/// account with two-step sign-in. The caller's own session, when it is one, needs
/// `confirm_current=true` and then signs this client out.
#[utoipa::path(post, path = "/api/v1/auth/sessions/revoke-weak", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(RevokeQuery),
    responses(
        (status = 204, description = "Every session without two-step ended"),
        (status = 400, description = "The account has no two-step sign-in", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 409, description = "The caller's session is one of them; repeat with confirm_current=true", body = ErrorBody)))]
pub async fn revoke_weak(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<RevokeQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let confirm = confirm_current(query)?;
    let ended =
        crate::factors::service::sign_out_without_two_step(&state, &caller, confirm).await?;
    let response = StatusCode::NO_CONTENT.into_response();
    Ok(signed_out(&state, Some(&caller), ended, response))
}
