//! The one function that ends sessions, and the words for why.

use crate::error::AppError;
use crate::platform::ids::{UnixTime, UserId};
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, ip_text};
use crate::sessions::repository::{self, EndTarget};
use active_sessions_api::EndedReason;
use sqlx::{Any, Transaction};

/// Why a session ended; [`EndReason::as_str`] is what `revoked_reason` stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The session's own user signed out (logout, or revoking "this device").
    SignedOut,
    /// Revoked from another session.
    Revoked,
    /// "Sign out all other sessions".
    RevokedOthers,
    /// The password changed (every other session ends).
    PasswordChanged,
    /// The per-user cap was reached; the least recently used ended (SEC-15).
    Evicted,
    /// The account was disabled.
    AccountDisabled,
    /// The account was deleted.
    AccountDeleted,
    /// A new login in the same browser replaced it (SEC-04).
    ReplacedByLogin,
    /// Past its absolute lifetime (seen when its token was presented again).
    Expired,
    /// Unused longer than the idle timeout (seen when its token was presented again).
    Idle,
    /// Signed out with "Sign out unused sessions" (unused for 30 days or more).
    Unused,
    /// The account's owner said "This wasn't me" (the link in a sign-in alert, or the page's
    /// `Not you?`).
    NotMe,
    /// Signed out with "Sign out sessions without two-step" (it proved one factor only).
    Weak,
}

impl EndReason {
    /// Every reason, for reading the stored form back.
    pub const ALL: [Self; 13] = [
        Self::SignedOut,
        Self::Revoked,
        Self::RevokedOthers,
        Self::PasswordChanged,
        Self::Evicted,
        Self::AccountDisabled,
        Self::AccountDeleted,
        Self::ReplacedByLogin,
        Self::Expired,
        Self::Idle,
        Self::NotMe,
        Self::Unused,
        Self::Weak,
    ];

    /// The reason a stored `revoked_reason` names (`None`: not one of ours).
    pub fn from_stored(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == stored)
    }

    /// How the API names it (a deleted account's sessions read as disabled: nobody can list
    /// them any more).
    pub fn for_api(self) -> EndedReason {
        match self {
            Self::SignedOut => EndedReason::SignedOut,
            Self::Revoked => EndedReason::Revoked,
            Self::RevokedOthers => EndedReason::RevokedOthers,
            Self::PasswordChanged => EndedReason::PasswordChanged,
            Self::Evicted => EndedReason::Evicted,
            Self::AccountDisabled | Self::AccountDeleted => EndedReason::AccountDisabled,
            Self::ReplacedByLogin => EndedReason::ReplacedByLogin,
            Self::Expired => EndedReason::Expired,
            Self::Idle => EndedReason::Idle,
            Self::NotMe => EndedReason::NotMe,
            Self::Unused => EndedReason::Unused,
            Self::Weak => EndedReason::WithoutTwoStep,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedOut => "logout",
            Self::Revoked => "revoked",
            Self::RevokedOthers => "signed_out_others",
            Self::PasswordChanged => "password_change",
            Self::Evicted => "session_limit",
            Self::AccountDisabled => "user_disabled",
            Self::AccountDeleted => "user_deleted",
            Self::ReplacedByLogin => "replaced_by_login",
            Self::Expired => "expired",
            Self::Idle => "idle",
            Self::NotMe => "not_me",
            Self::Unused => "unused",
            Self::Weak => "weak",
        }
    }
}

/// Who ended the sessions.
#[derive(Clone, Copy, Debug)]
pub enum EndedBy<'a> {
    /// A signed-in caller (recorded with its session and address).
    Caller(&'a Caller),
    /// The server itself or an administrator (cap, expiry, `user disable`).
    System,
}

/// What ending did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "an adapter must clear the cookie when the caller's own session ended"]
pub struct Ended {
    /// How many sessions this call ended.
    pub count: u64,
    /// Whether the caller's own session was among them (its cookie must be cleared).
    pub own_session: bool,
}

impl Ended {
    /// For a caller whose token no longer names a live session (e.g. `/logout` with a stale
    /// cookie): nothing ended here, but the browser should still forget the cookie.
    pub const STALE: Self = Self {
        count: 0,
        own_session: true,
    };
}

/// Which sessions to end, why, and who asks.
#[derive(Clone, Copy, Debug)]
pub struct EndRequest<'a> {
    /// Which of the account's live sessions.
    pub target: EndTarget<'a>,
    /// Why (stored, and shown under "Recently ended").
    pub reason: EndReason,
    /// The session that asked, or the system.
    pub by: EndedBy<'a>,
}

/// Ends the requested sessions of `user_id` inside `tx`: the one function that ends sessions.
pub async fn end_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    request: EndRequest<'_>,
    now: UnixTime,
) -> Result<Ended, sqlx::Error> {
    let EndRequest { target, reason, by } = request;
    let (actor, ip) = match by {
        EndedBy::Caller(caller) => (
            Some((caller.session_id, caller.public_id.as_str())),
            ip_text(caller.ip),
        ),
        EndedBy::System => (None, None),
    };
    let ending = repository::Ending {
        user_id,
        target,
        reason: reason.as_str(),
        by: actor,
        ip: ip.as_deref(),
        now,
    };
    let ended = repository::end_in(tx, ending).await?;
    Ok(Ended {
        count: ended.len() as u64,
        own_session: actor.is_some_and(|(own, _)| ended.iter().any(|(id, _)| *id == own)),
    })
}

/// [`end_in`] in its own transaction.
pub async fn end(
    state: &AppState,
    user_id: UserId,
    request: EndRequest<'_>,
) -> Result<Ended, AppError> {
    let mut tx = state.db.begin_write().await?;
    let ended = end_in(&mut tx, user_id, request, state.now()).await?;
    tx.commit().await?;
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::EndReason;

    /// The place of each reason in [`EndReason::ALL`]. The match is exhaustive: a new reason does
    /// not compile until it gets a place here, the reminder to add it to `ALL` (and to raise the
    /// count below); the test checks that `ALL` holds each reason at its place.
    fn place(reason: EndReason) -> usize {
        match reason {
            EndReason::SignedOut => 0,
            EndReason::Revoked => 1,
            EndReason::RevokedOthers => 2,
            EndReason::PasswordChanged => 3,
            EndReason::Evicted => 4,
            EndReason::AccountDisabled => 5,
            EndReason::AccountDeleted => 6,
            EndReason::ReplacedByLogin => 7,
            EndReason::Expired => 8,
            EndReason::Idle => 9,
            EndReason::NotMe => 10,
            EndReason::Unused => 11,
            EndReason::Weak => 12,
        }
    }

    #[test]
    fn every_stored_reason_reads_back_as_itself() {
        assert_eq!(EndReason::ALL.len(), 13, "one place per arm of `place`");
        for (i, reason) in EndReason::ALL.into_iter().enumerate() {
            assert_eq!(place(reason), i, "{reason:?} out of place in ALL");
            assert_eq!(EndReason::from_stored(reason.as_str()), Some(reason));
        }
        assert_eq!(EndReason::from_stored("something else"), None);
    }
}
