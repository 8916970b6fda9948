//! What the page and the JSON API share: turning rows into views, and the revoke rules.

use crate::auth::current::CurrentSession;
use crate::auth::token::is_public_id;
use crate::error::AppError;
use crate::server::state::AppState;
use crate::sessions::client_info::{country_of, describe};
use crate::sessions::model::{Instant, SessionKind, SessionList, SessionView};
use crate::sessions::repository::{self, Revoker, SessionRow};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// RFC 3339 (UTC) text of a Unix time.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

fn instant(unix: i64) -> Instant {
    Instant {
        unix,
        rfc3339: rfc3339(unix),
    }
}

/// When a session's token stops being accepted: the earlier of its absolute expiry and the idle
/// limit counted from its last use.
pub fn effective_expiry(row: &SessionRow, idle_secs: i64) -> i64 {
    row.expires_at.min(row.last_seen_at + idle_secs)
}

/// The view of one row.
pub fn to_view(row: SessionRow, current: &CurrentSession, idle_secs: i64) -> SessionView {
    let kind = SessionKind::parse(&row.kind).unwrap_or(SessionKind::Web);
    let described = describe(row.user_agent.as_deref(), kind);
    let expires = effective_expiry(&row, idle_secs);
    SessionView {
        is_current: row.id == current.session_id,
        kind,
        device: described.device,
        name: described.name,
        client: described.client,
        country: row.ip.as_deref().and_then(country_of),
        mfa_factors: serde_json::from_str(&row.mfa_factors).unwrap_or_default(),
        created_at: instant(row.created_at),
        last_active_at: instant(row.last_seen_at),
        expires_at: instant(expires),
        id: row.public_id,
        user_agent: row.user_agent,
        sign_in_method: row.sign_in_method,
        ip: row.ip,
        label: row.label,
    }
}

/// The caller's live sessions: this device first, then the most recently active.
pub async fn list(state: &AppState, current: &CurrentSession) -> Result<SessionList, AppError> {
    let now = state.now();
    let idle = state.config.idle_timeout.as_secs() as i64;
    let rows = repository::list_live(&state.db, current.user_id, now, idle).await?;
    let mut sessions: Vec<SessionView> = rows
        .into_iter()
        .map(|r| to_view(r, current, idle))
        .collect();
    // Stable: keeps the database's recency order for the rest.
    sessions.sort_by_key(|s| !s.is_current);
    Ok(SessionList {
        sessions,
        now,
        reauth_required: needs_reauth(state, current),
    })
}

/// Whether the last password proof of this session is older than the re-auth window (SEC-17).
pub fn needs_reauth(state: &AppState, current: &CurrentSession) -> bool {
    state.now() - current.authenticated_at > state.config.reauth_window.as_secs() as i64
}

/// Outcome of a revoke request.
#[derive(Debug, PartialEq, Eq)]
pub enum Revoked {
    /// Another session ended.
    Other,
    /// The caller's own session ended: clear its cookie.
    Current,
}

/// Revokes the caller's session `id`. Unknown, foreign, already revoked and malformed ids all
/// give the same `NotFound` (SEC-18, SEC-22); the caller's own session needs `confirm_current`
/// (SEC-19).
pub async fn revoke(
    state: &AppState,
    current: &CurrentSession,
    id: &str,
    confirm_current: bool,
    ip: Option<&str>,
) -> Result<Revoked, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let is_current = id == current.public_id;
    if is_current && !confirm_current {
        return Err(AppError::ConfirmationRequired);
    }
    let by = Revoker {
        by_session_id: Some(current.session_id),
        by_public_id: Some(&current.public_id),
        reason: if is_current { "logout" } else { "revoked" },
        ip,
    };
    if repository::revoke(&state.db, current.user_id, id, by, state.now()).await? {
        Ok(if is_current {
            Revoked::Current
        } else {
            Revoked::Other
        })
    } else {
        Err(AppError::NotFound)
    }
}

/// Ends every other session of the caller, asking for the password again when the last sign-in
/// on this session is older than the re-auth window (SEC-17). Returns how many ended.
pub async fn revoke_others(
    state: &AppState,
    current: &CurrentSession,
    password: Option<String>,
    ip: Option<&str>,
) -> Result<u64, AppError> {
    if needs_reauth(state, current) {
        let password = password
            .filter(|p| !p.is_empty())
            .ok_or(AppError::ReauthRequired)?;
        confirm_password(state, current, password).await?;
    }
    let by = Revoker {
        by_session_id: Some(current.session_id),
        by_public_id: Some(&current.public_id),
        reason: "signed_out_others",
        ip,
    };
    Ok(repository::revoke_all(
        &state.db,
        current.user_id,
        Some(current.session_id),
        by,
        state.now(),
    )
    .await?)
}

/// Checks the caller's password (rate limited per account like logins) and records the fresh
/// authentication on the session.
pub async fn confirm_password(
    state: &AppState,
    current: &CurrentSession,
    password: String,
) -> Result<(), AppError> {
    if password.len() > crate::auth::password::MAX_PASSWORD_BYTES {
        return Err(AppError::InvalidCredentials);
    }
    let now = state.now();
    let key = format!("reauth:{}", current.user_id);
    state
        .login_limiter
        .check(&key, now)
        .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    let user = crate::users::repository::find_by_id(&state.db, current.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !state
        .hasher
        .verify(password, Some(user.password_hash))
        .await?
    {
        state.login_limiter.record(&key, now);
        return Err(AppError::InvalidCredentials);
    }
    repository::mark_authenticated(&state.db, current.session_id, now).await?;
    Ok(())
}
