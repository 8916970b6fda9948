//! Ending sessions the caller chooses: one by id (optionally with the CLI sessions it approved),
//! or every other session unused for 30 days.

use super::{EndReason, EndRequest, EndTarget, Ended, EndedBy, end, end_in};
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::repository;
use crate::sessions::token::is_public_id;

/// Sessions unused this long count as stale ("Sign out unused sessions"), as the rows say.
pub use crate::sessions::model::STALE_AFTER_SECS as UNUSED_AFTER_SECS;

/// "Sign out unused sessions": ends the caller's other sessions unused for 30 days or more (never
/// this device).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn sign_out_unused(state: &AppState, caller: &Caller) -> Result<Ended, AppError> {
    let now = state.now();
    let target = EndTarget::UnusedSince {
        before: now - UNUSED_AFTER_SECS + 1,
        live_after: now - state.idle_secs(),
        except: caller.session_id,
    };
    end(
        state,
        caller.user_id,
        EndRequest {
            target,
            reason: EndReason::Unused,
            by: EndedBy::Caller(caller),
        },
    )
    .await
}

/// "Sign out sessions without two-step": ends the caller's live sessions that proved one factor
/// only. The caller's own session, when it is one of them, needs `confirm_current` (SEC-19) and
/// then ends too (`Ended::own_session`).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn sign_out_weak(
    state: &AppState,
    caller: &Caller,
    confirm_current: bool,
) -> Result<Ended, AppError> {
    let own = repository::assurance_level_of(&state.db, caller.session_id).await?;
    if own.is_some_and(|level| level < 2) && !confirm_current {
        return Err(AppError::ConfirmationRequired);
    }
    let target = EndTarget::Weak {
        live_after: state.now() - state.idle_secs(),
    };
    let by = EndedBy::Caller(caller);
    let reason = EndReason::Weak;
    end(state, caller.user_id, EndRequest { target, reason, by }).await
}

/// The rules of a revoke before anything is touched: a malformed id is `NotFound` (SEC-22), the
/// caller's own session needs `confirm_current` (SEC-19) and then counts as signing out.
pub fn revoke_reason(
    caller: &Caller,
    id: &str,
    confirm_current: bool,
) -> Result<EndReason, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    match (id == caller.public_id, confirm_current) {
        (true, false) => Err(AppError::ConfirmationRequired),
        (true, true) => Ok(EndReason::SignedOut),
        (false, _) => Ok(EndReason::Revoked),
    }
}

/// A revoke as the caller asked for it.
#[derive(Clone, Copy, Debug)]
pub struct RevokeRequest<'a> {
    /// The session's public id (checked here, once).
    pub id: &'a str,
    /// The caller confirms ending its own session.
    pub confirm_current: bool,
    /// Also end the live CLI sessions that session approved.
    pub also_approved: bool,
}

/// Revokes the caller's session `asked.id`, with the CLI sessions it approved if asked, in one
/// transaction. Unknown, foreign, already revoked and malformed ids all give the same `NotFound`
/// (SEC-18, SEC-22); the caller's own session needs `confirm_current` (SEC-19) and then counts
/// as signing out.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn revoke(
    state: &AppState,
    caller: &Caller,
    asked: RevokeRequest<'_>,
) -> Result<Ended, AppError> {
    let reason = revoke_reason(caller, asked.id, asked.confirm_current)?;
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    let approved = if asked.also_approved {
        repository::approved_from_in(&mut tx, caller.user_id, asked.id).await?
    } else {
        Vec::new()
    };
    let by = EndedBy::Caller(caller);
    let target = EndTarget::Public(asked.id);
    let mut total = end_in(
        &mut tx,
        caller.user_id,
        EndRequest { target, reason, by },
        now,
    )
    .await?;
    if total.count == 0 {
        tx.rollback().await?;
        return Err(AppError::NotFound);
    }
    for cli in approved {
        let cli = EndTarget::Id(cli);
        let also = end_in(
            &mut tx,
            caller.user_id,
            EndRequest {
                target: cli,
                reason: EndReason::Revoked,
                by,
            },
            now,
        )
        .await?;
        total.count += also.count;
        total.own_session |= also.own_session;
    }
    tx.commit().await?;
    Ok(total)
}
