//! Password proofs on a session: whether it needs one, recording one (or a failed one), and the
//! token rotation of a password change.

use crate::platform::ids::{SessionId, UnixTime};
use crate::platform::{db::Db, state::AppState};
use crate::sessions::caller::Caller;
use crate::sessions::model::Proof;
use crate::sessions::repository;
use crate::sessions::token::SessionToken;
use sqlx::{Any, Transaction};

/// Whether the last password proof of this session is older than the re-auth window (SEC-17).
pub fn needs_reauth(state: &AppState, caller: &Caller) -> bool {
    state.now().secs_since(caller.authenticated_at) > state.config.reauth_window.as_secs() as i64
}
/// Replaces the token of the caller's session inside `tx` (password change), marking it freshly
/// authenticated. `None` if the session ended meanwhile.
pub async fn rotate_token_in(
    tx: &mut Transaction<'static, Any>,
    caller: &Caller,
    now: UnixTime,
) -> Result<Option<SessionToken>, sqlx::Error> {
    repository::rotate_token_in(tx, caller.session_id, now).await
}

/// When the live session `session_id` last proved the password and what it proved at sign-in
/// (`None` if it has ended): what a CLI session approved from it inherits, so it is never
/// fresher or stronger than its approver.
pub async fn live_authenticated_at_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    session_id: SessionId,
) -> Result<Option<(UnixTime, Vec<Proof>)>, sqlx::Error> {
    let live = repository::live_authenticated_at_in(tx, session_id, super::live_now(state)).await?;
    Ok(live.map(|(at, factors)| (at, serde_json::from_str(&factors).unwrap_or_default())))
}

/// Counts a failed re-authentication on the caller's session (the owner's page shows it).
pub async fn record_reauth_failure(state: &AppState, caller: &Caller) -> Result<(), sqlx::Error> {
    repository::record_reauth_failure(&state.db, caller.session_id, state.now()).await
}

/// Records that the caller just proved the password again.
pub async fn mark_authenticated(
    db: &Db,
    caller: &Caller,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    repository::mark_authenticated(db, caller.session_id, now).await
}
