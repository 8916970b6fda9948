//! Creating a session: its row, with what it proved and the assurance level that follows, and
//! its audit row, in the caller's transaction (SEC-36).

use super::{AuthEvent, record_event_in};
use crate::platform::ids::{DeviceId, SessionId, UnixTime, UserId};
use crate::sessions::model::{Proof, SessionKind};
use crate::sessions::token::{SessionToken, random_public_id};
use sqlx::{Any, Transaction};

/// The assurance level of a session that proved `proofs`: 2 for two factors or a passkey
/// (possession with user verification), otherwise 1.
pub fn assurance_level(proofs: &[Proof]) -> i64 {
    if proofs.len() >= 2 || proofs.contains(&Proof::Webauthn) {
        2
    } else {
        1
    }
}

/// A session about to be created.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Owner.
    pub user_id: UserId,
    /// Browser or CLI.
    pub kind: SessionKind,
    /// `password`, `dev`, `cli` or `passkey`.
    pub sign_in_method: &'a str,
    /// User agent, already cleaned by [`crate::sessions::caller::clean_user_agent`].
    pub user_agent: Option<&'a str>,
    /// Client IP.
    pub ip: Option<&'a str>,
    /// Seconds until the absolute expiry.
    pub lifetime_secs: i64,
    /// When the password was last proven for it; `None` means now (a fresh sign-in).
    pub authenticated_at: Option<UnixTime>,
    /// The browser it starts from (a `trusted_devices` row), if any.
    pub device_id: Option<DeviceId>,
    /// What it proved (empty for the development login and CLI sessions).
    pub proofs: &'a [Proof],
}

/// A freshly created session: the token goes to the client once and is never stored.
#[derive(Debug)]
pub struct CreatedSession {
    /// Internal id.
    pub id: SessionId,
    /// Public id.
    pub public_id: String,
    /// The secret.
    pub token: SessionToken,
    /// Absolute expiry.
    pub expires_at: UnixTime,
}

/// Inserts a session inside `tx` and writes its audit row (SEC-36). The per-user cap is applied
/// by the service right after, in the same transaction.
pub async fn create_in(
    tx: &mut Transaction<'static, Any>,
    new: NewSession<'_>,
    now: UnixTime,
) -> Result<CreatedSession, sqlx::Error> {
    let token = SessionToken::generate();
    let public_id = random_public_id();
    let expires_at = now + new.lifetime_secs;
    let factors: Vec<&str> = new.proofs.iter().map(|p| p.as_str()).collect();
    let factors = serde_json::to_string(&factors).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let (id,): (SessionId,) = sqlx::query_as(
        "INSERT INTO sessions (public_id, token_hash, user_id, kind, user_agent, ip, \
         sign_in_method, mfa_factors, created_at, authenticated_at, last_seen_at, expires_at, \
         device_id, assurance_level, mfa_updated_at, totp_proved_at, passkey_proved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $12, $8, $9, $8, $10, $11, $13, $14, $15, $16) \
         RETURNING id",
    )
    .bind(&public_id)
    .bind(token.hash().0.to_vec())
    .bind(new.user_id)
    .bind(new.kind.as_str())
    .bind(new.user_agent)
    .bind(new.ip)
    .bind(new.sign_in_method)
    .bind(now)
    .bind(new.authenticated_at.unwrap_or(now))
    .bind(expires_at)
    .bind(new.device_id)
    .bind(factors)
    .bind(assurance_level(new.proofs))
    .bind((!new.proofs.is_empty()).then_some(now))
    // A code from the app counts as proved when the password was (a CLI session inherits both
    // from the session that approved it, whose approval needed a fresh code).
    .bind(
        new.proofs
            .contains(&Proof::Totp)
            .then(|| new.authenticated_at.unwrap_or(now)),
    )
    .bind(new.proofs.contains(&Proof::Webauthn).then_some(now))
    .fetch_one(&mut **tx)
    .await?;
    let entry = AuthEvent {
        at: now,
        event: "session_created",
        user_id: Some(new.user_id),
        session: Some(&public_id),
        actor: None,
        ip: new.ip,
        detail: Some(new.kind.as_str()),
    };
    record_event_in(tx, entry).await?;
    Ok(CreatedSession {
        id,
        public_id,
        token,
        expires_at,
    })
}
