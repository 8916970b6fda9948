//! Resolving a presented token to its caller (every authenticated request comes through here).

use super::{EndReason, EndRequest, EndTarget, EndedBy, end};
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, Credential};
use crate::sessions::repository;
use crate::sessions::token::SessionToken;
use std::net::IpAddr;

/// `last_seen_at` is written at most this often per session.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

/// Resolves a presented token to its caller. Order of checks: token shape (no lookup for
/// garbage, SEC-05) → lookup by SHA-256 (SEC-02, SEC-06) → not revoked, owner not disabled
/// (SEC-12, SEC-14) → absolute and idle expiry (SEC-10; the session is then ended so its history
/// says why) → `last_seen_at` bumped at most once a minute, never on a revoked row (SEC-21).
/// Nothing is cached between requests, so a revocation is seen by every instance at once.
pub async fn authenticate(
    state: &AppState,
    raw_token: &str,
    credential: Credential,
    ip: Option<IpAddr>,
) -> Result<Caller, AppError> {
    let token = SessionToken::parse(raw_token).ok_or(AppError::Unauthenticated)?;
    let hash = token.hash();
    let row = repository::find_by_token(&state.db, &hash)
        .await?
        .filter(|row| hash.matches(&row.token_hash))
        .ok_or(AppError::Unauthenticated)?;
    let now = state.now();
    if row.revoked_at.is_some() {
        // An ended session's token presented again: refused, and counted for "Recently ended".
        if let Err(e) = repository::record_refusal(&state.db, row.id, now).await {
            tracing::warn!(error = %e, "could not count a refused token");
        }
        return Err(AppError::Unauthenticated);
    }
    if now >= row.expires_at || now.secs_since(row.last_seen_at) >= state.idle_secs() {
        let reason = if now >= row.expires_at {
            EndReason::Expired
        } else {
            EndReason::Idle
        };
        if let Err(e) = end(
            state,
            row.user_id,
            EndRequest {
                target: EndTarget::Id(row.id),
                reason,
                by: EndedBy::System,
            },
        )
        .await
        {
            tracing::warn!(error = %e, "could not record the end of an expired session");
        }
        return Err(AppError::Unauthenticated);
    }
    if now.secs_since(row.last_seen_at) >= TOUCH_INTERVAL_SECS {
        let address = crate::sessions::caller::ip_text(ip);
        repository::touch(&state.db, row.id, now, address.as_deref()).await?;
    }
    Ok(Caller {
        session_id: row.id,
        public_id: row.public_id,
        user_id: row.user_id,
        kind: row.kind,
        authenticated_at: row.authenticated_at,
        credential,
        ip,
        device_id: row.device_id,
        totp_proved_at: row.totp_proved_at,
        has_totp: row.totp_id.is_some(),
        passkey_proved_at: row.passkey_proved_at,
        has_passkey: row.passkey_id.is_some(),
    })
}
