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

/// What a CLI session inherits from the browser session that approved it: when that session
/// last proved the password, the app's code and a passkey, so it is never fresher than it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Proved {
    /// The last password proof.
    pub authenticated_at: UnixTime,
    /// The last code from the authenticator app.
    pub totp_proved_at: Option<UnixTime>,
    /// The last passkey.
    pub passkey_proved_at: Option<UnixTime>,
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
    /// What it inherits from an approving session; `None`: a fresh sign-in, whose proofs are
    /// all from now.
    pub inherited: Option<Proved>,
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
    .bind(new.inherited.map_or(now, |i| i.authenticated_at))
    .bind(expires_at)
    .bind(new.device_id)
    .bind(factors)
    .bind(assurance_level(new.proofs))
    .bind((!new.proofs.is_empty()).then_some(now))
    // Step-up freshness of each factor: now for what a fresh sign-in proved, the approver's own
    // times for a CLI session.
    .bind(match new.inherited {
        Some(i) => i.totp_proved_at,
        None => new.proofs.contains(&Proof::Totp).then_some(now),
    })
    .bind(match new.inherited {
        Some(i) => i.passkey_proved_at,
        None => new.proofs.contains(&Proof::Webauthn).then_some(now),
    })
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
