//! The passkey endpoints of the JSON API (`/api/v1/auth/passkeys/…`): thin adapters over
//! `auth::service` and `factors::service`. The cross-site guard in front of every `POST`
//! (SEC-24) covers them like every other endpoint.

use crate::auth::cookie::{pending_clear, pending_name, read_named, signed_in_header};
use crate::auth::devices;
use crate::auth::extract::caller_of;
use crate::auth::handlers::safe_next;
use crate::auth::service::{self as auth, AddPasskey, PasskeySignIn, Reauth};
use crate::error::{AppError, AppJson, ErrorBody, JsonBody};
use crate::factors::service as factors;
use crate::platform::ids::PasskeyId;
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, Client};
use active_sessions_api::{
    CeremonyStarted, PasskeyAdded, PasskeyFinishRequest, PasskeySignedIn, PasskeyStartRequest,
    RemovePasskeyRequest, paths,
};
use axum::{
    Json, Router,
    extract::State,
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::post,
};

/// Routes of the passkey API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::PASSKEY_REGISTER_START, post(register_start))
        .route(paths::PASSKEY_REGISTER_FINISH, post(register_finish))
        .route(paths::PASSKEY_LOGIN_START, post(login_start))
        .route(paths::PASSKEY_LOGIN_FINISH, post(login_finish))
        .route(paths::PASSKEY_STEP_UP_START, post(step_up_start))
        .route(paths::PASSKEY_STEP_UP_FINISH, post(step_up_finish))
        .route(paths::PASSKEY_REMOVE, post(remove))
}

impl JsonBody for PasskeyStartRequest {
    const INVALID: &'static str =
        r#"Send a JSON object, e.g. {} or {"password": "…", "code": "123456"}."#;
}

impl JsonBody for PasskeyFinishRequest {
    const INVALID: &'static str = r#"Send {"ceremony": "…", "credential": {…}} as JSON."#;
}

impl JsonBody for RemovePasskeyRequest {
    const INVALID: &'static str = r#"Send {"id": 1, "sign_out_others": true} as JSON."#;
}

/// Starts adding a passkey to the caller's account.
#[utoipa::path(post, path = "/api/v1/auth/passkeys/register/start", tag = "passkeys",
    security(("bearer" = []), ("cookie" = [])),
    request_body(content = PasskeyStartRequest, description = "Step-up proofs, when needed"),
    responses(
        (status = 200, description = "Options for navigator.credentials.create", body = CeremonyStarted),
        (status = 400, description = "Passkeys are off on this server, or a bad body", body = ErrorBody),
        (status = 401, description = "Not signed in, or a wrong password or code", body = ErrorBody),
        (status = 403, description = "`reauth_required` / `step_up_required` (`method`: `totp` or `webauthn`), or cross-site", body = ErrorBody)))]
pub async fn register_start(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(body): AppJson<PasskeyStartRequest>,
) -> Result<Json<CeremonyStarted>, AppError> {
    let proofs = Reauth {
        password: body.password,
        code: body.code,
    };
    let caller = auth::stepped_up(&state, &caller, proofs).await?;
    Ok(Json(factors::register_start(&state, &caller).await?))
}

/// Finishes adding a passkey: the browser's new credential.
#[utoipa::path(post, path = "/api/v1/auth/passkeys/register/finish", tag = "passkeys",
    security(("bearer" = []), ("cookie" = [])),
    request_body = PasskeyFinishRequest,
    responses(
        (status = 200, description = "The passkey was added as the account's first second factor: the recovery codes made with it", body = PasskeyAdded),
        (status = 204, description = "The passkey was added"),
        (status = 400, description = "Unknown, used or expired ceremony; a credential that does not verify; a bad name", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody)))]
pub async fn register_finish(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    AppJson(body): AppJson<PasskeyFinishRequest>,
) -> Result<Response, AppError> {
    let add = AddPasskey {
        ceremony: &body.ceremony,
        credential: body.credential,
        name: body.name.as_deref(),
        sign_out_others: body.sign_out_others,
    };
    let added = auth::add_passkey(&state, &caller, &client, add).await?;
    Ok(match added.recovery_codes {
        Some(recovery_codes) => {
            let ticket = factors::codes_ticket(&state, &caller, &recovery_codes)?;
            let show = format!(
                "{}?codes={ticket}",
                active_sessions_api::paths::pages::SECURITY
            );
            Json(PasskeyAdded {
                recovery_codes,
                show,
            })
            .into_response()
        }
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Starts signing in with a passkey: no account is named (a discoverable credential).
#[utoipa::path(post, path = "/api/v1/auth/passkeys/login/start", tag = "passkeys",
    responses(
        (status = 200, description = "Options for navigator.credentials.get", body = CeremonyStarted),
        (status = 400, description = "Passkeys are off on this server", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 429, description = "Too many sign-ins started from this address", body = ErrorBody)))]
pub async fn login_start(
    State(state): State<AppState>,
    client: Client,
) -> Result<Json<CeremonyStarted>, AppError> {
    let key = format!("passkey:{}", client.rate_key());
    state.grant_limiter.hit(&key, state.now()).await?;
    Ok(Json(factors::login_start(&state).await?))
}

/// Finishes signing in with a passkey: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/passkeys/login/finish", tag = "passkeys",
    request_body = PasskeyFinishRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = PasskeySignedIn),
        (status = 400, description = "Unknown, used or expired ceremony, or an unreadable credential", body = ErrorBody),
        (status = 401, description = "The passkey was not accepted", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 429, description = "Too many failures", body = ErrorBody)))]
pub async fn login_finish(
    State(state): State<AppState>,
    parts: Parts,
    client: Client,
    AppJson(body): AppJson<PasskeyFinishRequest>,
) -> Result<Response, AppError> {
    let device = devices::read(&state.config, &parts.headers);
    let sign_in = PasskeySignIn {
        ceremony: &body.ceremony,
        credential: body.credential,
        pending: read_named(&parts.headers, pending_name(&state.config)),
        device: device.as_ref(),
    };
    let previous = || async { caller_of(&state, &parts).await.ok() };
    let signed_in = auth::sign_in_with_passkey(&state, &client, previous, sign_in).await?;
    let answer = PasskeySignedIn {
        id: signed_in.session.public_id.clone(),
        redirect: safe_next(body.next.as_deref()).to_owned(),
    };
    let mut response = Json(answer).into_response();
    let headers = response.headers_mut();
    let cookie = signed_in_header(&state.config, &signed_in.session.token);
    headers.append(header::SET_COOKIE, cookie);
    headers.append(header::SET_COOKIE, pending_clear(&state.config));
    if let Some(device) = &signed_in.new_device {
        headers.append(header::SET_COOKIE, devices::set(&state.config, device));
    }
    Ok(response)
}

/// Starts proving one of the account's passkeys on this session (step-up).
#[utoipa::path(post, path = "/api/v1/auth/passkeys/step-up/start", tag = "passkeys",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Options for navigator.credentials.get", body = CeremonyStarted),
        (status = 400, description = "The account has no passkey, or passkeys are off", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody)))]
pub async fn step_up_start(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CeremonyStarted>, AppError> {
    Ok(Json(factors::step_up_start(&state, &caller).await?))
}

/// Finishes the passkey step-up: sensitive actions are allowed for the re-authentication window.
#[utoipa::path(post, path = "/api/v1/auth/passkeys/step-up/finish", tag = "passkeys",
    security(("bearer" = []), ("cookie" = [])),
    request_body = PasskeyFinishRequest,
    responses(
        (status = 204, description = "Proved"),
        (status = 400, description = "Unknown, used or expired ceremony, or an unreadable credential", body = ErrorBody),
        (status = 401, description = "Not signed in, or the passkey was not accepted", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody)))]
pub async fn step_up_finish(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(body): AppJson<PasskeyFinishRequest>,
) -> Result<StatusCode, AppError> {
    factors::step_up_finish(&state, &caller, &body.ceremony, body.credential).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes one of the caller's passkeys (step-up with a passkey first).
#[utoipa::path(post, path = "/api/v1/auth/passkeys/remove", tag = "passkeys",
    security(("bearer" = []), ("cookie" = [])),
    request_body = RemovePasskeyRequest,
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "A bad body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`step_up_required` (`method`: `webauthn`), or cross-site", body = ErrorBody),
        (status = 404, description = "No such passkey of the caller", body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(body): AppJson<RemovePasskeyRequest>,
) -> Result<StatusCode, AppError> {
    let id = PasskeyId(body.id);
    auth::remove_passkey(&state, &caller, id, body.sign_out_others).await?;
    Ok(StatusCode::NO_CONTENT)
}
