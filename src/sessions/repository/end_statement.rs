//! The one statement that ends sessions: a conditional, owner-scoped `UPDATE … RETURNING`, so
//! each session is ended exactly once even under concurrent requests, and only the request that
//! ended it writes its audit row (SEC-18, SEC-20).

use crate::platform::ids::{DeviceId, SessionId, UnixTime, UserId};
use crate::sessions::repository::{AuthEvent, record_event_in};
use sqlx::{Any, Transaction};

/// Which of a user's live sessions to end.
#[derive(Debug, Clone, Copy)]
pub enum EndTarget<'a> {
    /// One session by public id.
    Public(&'a str),
    /// One session by internal id.
    Id(SessionId),
    /// Every live session started from this browser (device cookie record).
    Device(DeviceId),
    /// Every session except this internal id (all of them with `None`).
    AllExcept(Option<SessionId>),
    /// The least recently used ones beyond the newest `n` (the per-user cap, SEC-15).
    BeyondNewest(u32),
    /// Those last used before `before` but still live (used after `live_after`, the idle
    /// limit), except the internal id `except` (this device).
    UnusedSince {
        /// Last use before this time.
        before: UnixTime,
        /// ... and after this one (older ones have already ended as idle).
        live_after: UnixTime,
        /// Never this one.
        except: SessionId,
    },
    /// Those that proved one factor only (assurance level 1) and are still live (used after
    /// `live_after`, the idle limit).
    Weak {
        /// Last use after this.
        live_after: UnixTime,
    },
}

/// The statement for one kind of target: the same `SET` and owner scope, its own condition.
macro_rules! end_sql {
    ($condition:literal) => {
        concat!(
            "UPDATE sessions SET revoked_at = $1, revoked_reason = $2, revoked_by_session_id = $3, \
             revoked_by_label = (SELECT b.label FROM sessions b WHERE b.id = $3) \
             WHERE user_id = $4 AND revoked_at IS NULL AND ",
            $condition,
            " RETURNING id, public_id"
        )
    };
}

/// What to end, why and by whom.
#[derive(Clone, Copy, Debug)]
pub struct Ending<'a> {
    /// The account whose sessions end.
    pub user_id: UserId,
    /// Which of its live sessions.
    pub target: EndTarget<'a>,
    /// The stored reason.
    pub reason: &'a str,
    /// The session that asked, as internal and public id (none: the system).
    pub by: Option<(SessionId, &'a str)>,
    /// The address it asked from.
    pub ip: Option<&'a str>,
    /// When.
    pub now: UnixTime,
}

/// Ends the target sessions at `now` for `reason`, recording `by` and `ip` in the audit trail.
/// Returns the `(id, public_id)` of each session this call ended.
pub async fn end_in(
    tx: &mut Transaction<'static, Any>,
    ending: Ending<'_>,
) -> Result<Vec<(SessionId, String)>, sqlx::Error> {
    let Ending {
        user_id,
        target,
        reason,
        by,
        ip,
        now,
    } = ending;
    let sql: &'static str = match target {
        EndTarget::Public(_) => end_sql!("public_id = $5 AND expires_at > $1"),
        EndTarget::Id(_) => end_sql!("id = $5"),
        EndTarget::Device(_) => end_sql!("device_id = $5 AND expires_at > $1"),
        EndTarget::AllExcept(_) => end_sql!("id <> $5 AND expires_at > $1"),
        EndTarget::BeyondNewest(_) => end_sql!(
            "id NOT IN (SELECT id FROM sessions WHERE user_id = $4 AND revoked_at IS NULL \
             AND expires_at > $1 ORDER BY last_seen_at DESC, id DESC LIMIT $5)"
        ),
        EndTarget::UnusedSince { .. } => {
            end_sql!("last_seen_at < $5 AND id <> $6 AND last_seen_at > $7 AND expires_at > $1")
        }
        EndTarget::Weak { .. } => {
            end_sql!("assurance_level < 2 AND last_seen_at > $5 AND expires_at > $1")
        }
    };
    let query = sqlx::query_as::<_, (SessionId, String)>(sql)
        .bind(now)
        .bind(reason)
        .bind(by.map(|(id, _)| id))
        .bind(user_id);
    let query = match target {
        EndTarget::Public(public_id) => query.bind(public_id.to_owned()),
        EndTarget::Id(id) => query.bind(id),
        EndTarget::Device(id) => query.bind(id),
        EndTarget::AllExcept(keep) => query.bind(keep.unwrap_or(SessionId(-1))),
        EndTarget::BeyondNewest(n) => query.bind(i64::from(n)),
        EndTarget::UnusedSince {
            before,
            live_after,
            except,
        } => query.bind(before).bind(except).bind(live_after),
        EndTarget::Weak { live_after } => query.bind(live_after),
    };
    let ended = query.fetch_all(&mut **tx).await?;
    for (_, public_id) in &ended {
        let entry = AuthEvent {
            at: now,
            event: "session_revoked",
            user_id: Some(user_id),
            session: Some(public_id),
            actor: by.map(|(_, public)| public),
            ip,
            detail: Some(reason),
        };
        record_event_in(tx, entry).await?;
    }
    Ok(ended)
}
