//! The one auth layer: pages, server functions and the JSON API all resolve the caller's session
//! here, from the session cookie or `Authorization: Bearer`.
//!
//! Order of checks: token shape (no lookup for garbage, SEC-05) → lookup by SHA-256 (SEC-02,
//! SEC-06) → not revoked, owner not disabled (SEC-12, SEC-14) → absolute and idle expiry
//! (SEC-10) → `last_seen_at` bumped at most once a minute, never on a revoked row (SEC-21).
//! Nothing is cached between requests, so a revocation is seen by every instance at once.

use crate::auth::cookie::read_bearer;
use crate::auth::token::SessionToken;
use crate::error::AppError;
use crate::server::state::AppState;
use crate::sessions::{model::SessionKind, repository};
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, request::Parts};

/// `last_seen_at` is written at most this often per session.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

/// How the caller presented its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// The session cookie (browsers).
    Cookie,
    /// `Authorization: Bearer` (CLI and API clients).
    Bearer,
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    /// Internal session id.
    pub session_id: i64,
    /// Public session id.
    pub public_id: String,
    /// The account.
    pub user_id: i64,
    /// Browser or CLI session.
    pub kind: SessionKind,
    /// When the password was last proven on this session.
    pub authenticated_at: i64,
    /// Cookie or bearer.
    pub credential: Credential,
}

/// Resolves the caller from request headers. Bearer wins over the cookie when both are sent.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<CurrentSession, AppError> {
    let (raw, credential) = match read_bearer(headers) {
        Some(raw) => (raw, Credential::Bearer),
        None => (
            state
                .cookies
                .read(headers)
                .ok_or(AppError::Unauthenticated)?,
            Credential::Cookie,
        ),
    };
    let token = SessionToken::parse(raw).ok_or(AppError::Unauthenticated)?;
    let hash = token.hash();
    let row = repository::find_by_token(&state.db, &hash)
        .await?
        .filter(|row| hash.matches(&row.token_hash))
        .ok_or(AppError::Unauthenticated)?;

    let now = state.now();
    let idle = state.config.idle_timeout.as_secs() as i64;
    if now >= row.expires_at || now - row.last_seen_at >= idle {
        return Err(AppError::Unauthenticated);
    }
    if now - row.last_seen_at >= TOUCH_INTERVAL_SECS {
        repository::touch(&state.db, row.id, now).await?;
    }
    Ok(CurrentSession {
        session_id: row.id,
        public_id: row.public_id,
        user_id: row.user_id,
        kind: SessionKind::parse(&row.kind).unwrap_or(SessionKind::Web),
        authenticated_at: row.authenticated_at,
        credential,
    })
}

/// Resolves the caller once per request: a result stored in the request's extensions by an
/// earlier layer (the page guard) is reused.
pub async fn from_parts(state: &AppState, parts: &Parts) -> Result<CurrentSession, AppError> {
    if let Some(current) = parts.extensions.get::<CurrentSession>() {
        return Ok(current.clone());
    }
    authenticate(state, &parts.headers).await
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let current = from_parts(state, parts).await?;
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}
