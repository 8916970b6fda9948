//! The password step of a two-step sign-in: a single-use token (five minutes) that stands for
//! "this account's password proved right here", and nothing else: no session exists yet.

use crate::error::AppError;
use crate::factors::repository::{self, NewPending, PendingRow};
use crate::platform::ids::{DeviceId, UnixTime, UserId};
use crate::platform::state::AppState;
use crate::sessions::token::SessionToken;
use sqlx::{Any, Transaction};

/// How long the second step may take.
pub const PENDING_SECS: i64 = 5 * 60;

/// A password step that proved right.
#[derive(Debug)]
pub struct PendingStart<'a> {
    /// The account.
    pub user_id: UserId,
    /// The known browser it came from, if any.
    pub device_id: Option<DeviceId>,
    /// The failure budget it counted in, reset once the second step completes.
    pub budget_key: &'a str,
    /// The client's address budget, where its failure is taken back once the second step
    /// completes.
    pub ip_key: &'a str,
    /// When the password step was counted as a failure.
    pub password_at: UnixTime,
}

/// Stores a pending sign-in; its token goes to the client once.
pub async fn start_pending(
    state: &AppState,
    start: PendingStart<'_>,
) -> Result<SessionToken, AppError> {
    let token = SessionToken::generate();
    let now = state.now();
    let new = NewPending {
        token_hash: &token.hash().0,
        user_id: start.user_id,
        device_id: start.device_id,
        budget_key: start.budget_key,
        ip_key: start.ip_key,
        password_at: start.password_at,
    };
    repository::insert_pending(&state.db, new, now + PENDING_SECS).await?;
    Ok(token)
}

/// The live pending sign-in of `token`, not taken.
pub async fn find_pending(
    state: &AppState,
    token: &SessionToken,
) -> Result<Option<PendingRow>, AppError> {
    Ok(repository::find_pending(&state.db, &token.hash().0, state.now()).await?)
}

/// Takes the live pending sign-in of `token` inside `tx` (rolled back with it).
pub async fn take_pending_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    token: &SessionToken,
) -> Result<Option<PendingRow>, AppError> {
    Ok(repository::take_pending_in(tx, &token.hash().0, state.now()).await?)
}

/// Cancels every pending sign-in of `user_id` inside `tx`: signing out the other sessions,
/// changing the password or turning the app off also stops a password step made before from
/// finishing.
pub async fn cancel_pending_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
) -> Result<u64, sqlx::Error> {
    repository::delete_pending_of_in(tx, user_id).await
}
