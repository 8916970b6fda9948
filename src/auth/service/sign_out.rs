//! Ending the caller's own sign-in and the account-wide sign-outs: logout, "sign out all other
//! sessions" (forgetting every other browser) and the page's "Not you?" (SEC-11, SEC-40).

use super::reauth::{Reauth, stepped_up};
use crate::auth::devices;
use crate::cli_grants::service as cli_grants;
use crate::error::AppError;
use crate::factors::service as factors;
use crate::platform::ids::UnixTime;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service::{self as sessions, EndReason, EndRequest, Ended};
use crate::users::service as users;
use sqlx::{Any, Transaction};

/// Ends the caller's own session (SEC-11).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn logout(state: &AppState, caller: &Caller) -> Result<Ended, AppError> {
    let own = sessions::RevokeRequest {
        id: &caller.public_id,
        confirm_current: true,
        also_approved: false,
    };
    sessions::revoke(state, caller, own).await
}

/// "Sign out all other sessions": asks for the password again when the last sign-in on this
/// session is older than the re-auth window (SEC-17), and for a code from the authenticator app
/// when the account has one and this session has not proved it within the window (SEC-53), then
/// ends every other session.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn sign_out_others(
    state: &AppState,
    caller: &Caller,
    proofs: Reauth,
) -> Result<Ended, AppError> {
    let caller = &stepped_up(state, caller, proofs).await?;
    let mut tx = state.db.begin_write().await?;
    let ended = end_others_in(&mut tx, caller, EndReason::RevokedOthers, state.now()).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Ends every session of the caller's account but its own inside `tx`, and denies the account's
/// approved but unredeemed CLI grants, which would otherwise become new sessions right after:
/// what "sign out all other sessions" and a password change share.
///
/// Every browser but the caller's is forgotten too (SEC-40): a device cookie kept by whoever held
/// one of those sessions no longer makes its browser known, so its next sign-in alerts the owner
/// and is budgeted under the account. The account row is locked first (`users::lock_in`), so a
/// CLI grant redeemed at the same moment either commits before (and is ended here) or sees its
/// approver ended (PostgreSQL; SQLite's write transactions are serial anyway).
pub(super) async fn end_others_in(
    tx: &mut Transaction<'static, Any>,
    caller: &Caller,
    reason: EndReason,
    now: UnixTime,
) -> Result<Ended, sqlx::Error> {
    users::lock_in(tx, caller.user_id).await?;
    let others = sessions::EndTarget::AllExcept(Some(caller.session_id));
    let by = sessions::EndedBy::Caller(caller);
    let ended = sessions::end_in(
        tx,
        caller.user_id,
        EndRequest {
            target: others,
            reason,
            by,
        },
        now,
    )
    .await?;
    cli_grants::deny_unredeemed_in(tx, caller.user_id, now).await?;
    // A password step waiting for its code is a session about to exist: it goes too.
    factors::cancel_pending_in(tx, caller.user_id).await?;
    let keep = devices::Revoke::AllExcept(caller.device_id);
    devices::revoke_in(tx, caller.user_id, keep, reason.as_str(), now).await?;
    Ok(ended)
}

/// "Not you?" on the page's row `id`: ends that session and every live session its browser
/// holds, and forgets that browser (never the caller's own), in one transaction (SEC-40).
/// Unknown, foreign, ended and malformed ids are `NotFound`.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn not_me(state: &AppState, caller: &Caller, id: &str) -> Result<Ended, AppError> {
    if sessions::revoke_reason(caller, id, false)? != EndReason::Revoked {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin_write().await?;
    let target = sessions::EndTarget::Public(id);
    let by = sessions::EndedBy::Caller(caller);
    let done = devices::end_browser_in(&mut tx, caller.user_id, target, by, state.now()).await?;
    if done.ended.count == 0 {
        tx.rollback().await?;
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(done.ended)
}
