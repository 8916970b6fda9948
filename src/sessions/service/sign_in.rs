//! Starting sessions: a browser sign-in (ending the session the browser had) or a redeemed CLI
//! grant, with the per-user cap applied in the same transaction.

use super::{EndReason, EndRequest, EndTarget, EndedBy, end_in};
use crate::error::AppError;
use crate::platform::ids::{DeviceId, UserId};
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, Client};
use crate::sessions::model::{Proof, SessionKind};
use crate::sessions::repository::{self, CreatedSession, NewSession, Proved};
use sqlx::{Any, Transaction};

/// A session to start.
#[derive(Debug)]
pub struct Start<'a> {
    /// The account.
    pub user_id: UserId,
    /// Browser or CLI.
    pub kind: SessionKind,
    /// `password`, `dev`, `cli` or `passkey`.
    pub sign_in_method: &'a str,
    /// Where the sign-in came from.
    pub client: &'a Client,
    /// What it inherits from the session that approved it (`None`: a fresh sign-in).
    pub inherited: Option<Proved>,
    /// The browser (device cookie record) it starts from; `None` for CLI sessions.
    pub device_id: Option<DeviceId>,
    /// What the sign-in proved (`mfa_factors`; two proofs make assurance level 2).
    pub proofs: &'a [Proof],
}

/// Creates a session inside `tx` and applies the per-user cap (SEC-15), all in the caller's
/// transaction (SEC-36).
pub async fn start_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    start: Start<'_>,
) -> Result<CreatedSession, sqlx::Error> {
    let now = state.now();
    let lifetime = match start.kind {
        SessionKind::Web => state.config.web_lifetime,
        SessionKind::Cli => state.config.cli_lifetime,
    };
    let ip = start.client.ip_text();
    let created = repository::create_in(
        tx,
        NewSession {
            user_id: start.user_id,
            kind: start.kind,
            sign_in_method: start.sign_in_method,
            user_agent: start.client.user_agent.as_deref(),
            ip: ip.as_deref(),
            lifetime_secs: lifetime.as_secs() as i64,
            inherited: start.inherited,
            device_id: start.device_id,
            proofs: start.proofs,
        },
        now,
    )
    .await?;
    let cap = EndTarget::BeyondNewest(state.config.max_sessions_per_user);
    let _ = end_in(
        tx,
        start.user_id,
        EndRequest {
            target: cap,
            reason: EndReason::Evicted,
            by: EndedBy::System,
        },
        now,
    )
    .await?;
    Ok(created)
}

/// Starts a browser session; a session the browser already had (`previous`) is ended in the same
/// transaction: a login never adopts or keeps a client-held token (SEC-04).
pub async fn sign_in(
    state: &AppState,
    start: Start<'_>,
    previous: Option<&Caller>,
) -> Result<CreatedSession, AppError> {
    let mut tx = state.db.begin_write().await?;
    let created = sign_in_in(&mut tx, state, start, previous).await?;
    crate::platform::failpoint::hit("sign_in_before_commit");
    tx.commit().await?;
    Ok(created)
}

/// [`sign_in`] inside the caller's transaction (a login also queues its alert in it).
pub async fn sign_in_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    start: Start<'_>,
    previous: Option<&Caller>,
) -> Result<CreatedSession, sqlx::Error> {
    if let Some(previous) = previous {
        let target = EndTarget::Public(&previous.public_id);
        let by = EndedBy::Caller(previous);
        let _ = end_in(
            tx,
            previous.user_id,
            EndRequest {
                target,
                reason: EndReason::ReplacedByLogin,
                by,
            },
            state.now(),
        )
        .await?;
    }
    start_in(tx, state, start).await
}

/// Whether the account signed in before this session (its very first sign-in sends no alert);
/// read from the audit trail, so purging old ended sessions does not make a sign-in "first".
pub async fn signed_in_before_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    session: &CreatedSession,
) -> Result<bool, sqlx::Error> {
    repository::signed_in_before_in(tx, user_id, &session.public_id).await
}
