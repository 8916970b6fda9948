//! Accounts: the only way into the users repository. Disabling or deleting an account ends all
//! of its sessions in the same transaction (SEC-14).

use crate::error::AppError;
use crate::platform::ids::{UnixTime, UserId};
use crate::platform::state::AppState;
use crate::sessions::service::{self as sessions, EndReason, EndRequest, EndTarget, EndedBy};
use crate::users::repository;
use sqlx::{Any, Transaction};

pub use crate::users::repository::{CreateUserError, UserRow};

// Reads, account creation and setting a password hash (inside the caller's transaction; the
// sessions are the caller's concern) need nothing beyond the repository's own statements.
pub use crate::users::repository::{
    any_account, create, find_by_email, find_by_id, lock_in, set_password_in,
};

/// What an administrative action did.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminOutcome {
    /// Done; this many sessions ended.
    Done {
        /// Sessions ended.
        sessions_ended: u64,
    },
    /// No account has this email.
    NoSuchAccount,
}

/// Disables the account and ends all of its sessions at once (SEC-14).
pub async fn disable(state: &AppState, email: &str) -> Result<AdminOutcome, AppError> {
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    let Some(user_id) = repository::disable_in(&mut tx, email, now).await? else {
        return Ok(AdminOutcome::NoSuchAccount);
    };
    let ended = end_all_in(&mut tx, user_id, EndReason::AccountDisabled, now).await?;
    crate::cli_grants::service::deny_unredeemed_in(&mut tx, user_id, now).await?;
    // Every browser is forgotten (SEC-40); a deleted account's devices go with it (cascade).
    let all = crate::auth::devices::Revoke::AllExcept(None);
    let reason = EndReason::AccountDisabled.as_str();
    crate::auth::devices::revoke_in(&mut tx, user_id, all, reason, now).await?;
    tx.commit().await?;
    Ok(AdminOutcome::Done {
        sessions_ended: ended,
    })
}

/// Deletes the account; its sessions are ended (and recorded) first, then go with it.
pub async fn delete(state: &AppState, email: &str) -> Result<AdminOutcome, AppError> {
    let Some(user) = repository::find_by_email(&state.db, email).await? else {
        return Ok(AdminOutcome::NoSuchAccount);
    };
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    let ended = end_all_in(&mut tx, user.id, EndReason::AccountDeleted, now).await?;
    repository::delete_in(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(AdminOutcome::Done {
        sessions_ended: ended,
    })
}

async fn end_all_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    reason: EndReason,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    let target = EndTarget::AllExcept(None);
    let ended = sessions::end_in(
        tx,
        user_id,
        EndRequest {
            target,
            reason,
            by: EndedBy::System,
        },
        now,
    )
    .await?;
    Ok(ended.count)
}
