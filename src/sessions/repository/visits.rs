//! When each account last opened the sessions page: what makes a session "New". Kept as the
//! newest session id at each counted visit (ids only grow and never repeat), so two sign-ins in
//! one second stay apart.
//!
//! A visit counts (clears badges) only when it is made from a session that already existed at
//! the last counted visit (`viewer <= seen`), or when no session of that time is left. A session
//! that started after the owner's last visit therefore never clears the badge of another such
//! session, whatever sequence of sign-ins and visits an intruder makes (SEC-42): they still see
//! the badges, they just cannot make them go away.

use crate::platform::db::Db;
use crate::platform::ids::{SessionId, UnixTime, UserId};
use sqlx::AnyConnection;

/// Records a visit of the page from session `viewer` at `now` and returns the newest session id
/// at the previous counted visit (`None`: the first visit): sessions after it are new during this
/// visit. That id is kept as `seen_before_session_id`, so later reloads of the list during this
/// visit ([`page_seen_before_in`]) show the same sessions as new. A counted visit marks every
/// session seen; a visit that does not count writes nothing. A visit
/// that would store what is already stored writes nothing either (`seen_at` is then the time of
/// the visit that last changed the row). Runs on `conn` (held by the caller, [`Db::connection`]),
/// its write too.
pub async fn mark_page_seen_in(
    db: &Db,
    conn: &mut AnyConnection,
    user_id: UserId,
    viewer: SessionId,
    now: UnixTime,
) -> Result<Option<SessionId>, sqlx::Error> {
    // Most page loads change nothing: answer from a read and leave the write lock to sign-ins.
    let stored: Option<StoredVisit> = sqlx::query_as(STORED_VISIT)
        .bind(user_id)
        .bind(viewer)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(visit) = stored {
        if !counts(visit, viewer) {
            return Ok(Some(visit.0));
        }
        let (seen, before, newest, _) = visit;
        if seen == newest && before == Some(seen) {
            return Ok(Some(seen));
        }
    }
    // Read again inside the write transaction (on SQLite it holds the write lock): a sign-in or
    // another visit may have come in between.
    let mut tx = db.begin_write_on(conn).await?;
    let stored: Option<StoredVisit> = sqlx::query_as(STORED_VISIT)
        .bind(user_id)
        .bind(viewer)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(visit) = stored
        && !counts(visit, viewer)
    {
        tx.rollback().await?;
        return Ok(Some(visit.0));
    }
    let previous = stored.map(|(seen, _, _, _)| seen);
    let newest_other = match stored {
        Some((_, _, newest, _)) => newest,
        // The first visit: no stored row to read the newest id beside.
        None => {
            let (newest,): (SessionId,) = sqlx::query_as(NEWEST_OTHER_SESSION)
                .bind(user_id)
                .bind(viewer)
                .fetch_one(&mut *tx)
                .await?;
            newest
        }
    };
    // The viewer is seen too: it existed at this counted visit, so its later visits count.
    let newest = newest_other.max(viewer);
    sqlx::query(
        "INSERT INTO session_page_visits (user_id, seen_at, seen_session_id, \
         seen_before_session_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at, \
         seen_session_id = excluded.seen_session_id, \
         seen_before_session_id = excluded.seen_before_session_id",
    )
    .bind(user_id)
    .bind(now)
    .bind(newest)
    .bind(previous)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(previous)
}

/// Whether a visit from `viewer` counts: it existed at the last counted visit, or no session of
/// that time is still live to vouch for the new ones.
fn counts((seen, _, _, vouchers): StoredVisit, viewer: SessionId) -> bool {
    viewer <= seen || vouchers == 0
}

/// The stored visit (newest id seen, the one before), the newest id of the account's sessions
/// other than the viewer's, and how many sessions live now existed at the stored visit (`$1`
/// user, `$2` viewer).
type StoredVisit = (SessionId, Option<SessionId>, SessionId, i64);
const STORED_VISIT: &str = "SELECT v.seen_session_id, v.seen_before_session_id, \
     (SELECT COALESCE(MAX(id), 0) FROM sessions WHERE user_id = $1 AND id <> $2), \
     (SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL \
      AND id <= v.seen_session_id) \
     FROM session_page_visits v WHERE v.user_id = $1";
const NEWEST_OTHER_SESSION: &str =
    "SELECT COALESCE(MAX(id), 0) FROM sessions WHERE user_id = $1 AND id <> $2";

/// What a visit that may not be recorded (a cross-site navigation) shows: sessions after the
/// last counted visit are new; nothing is written.
pub async fn page_seen_in(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<Option<SessionId>, sqlx::Error> {
    let row: Option<(SessionId,)> =
        sqlx::query_as("SELECT seen_session_id FROM session_page_visits WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// The newest session id at the visit before the latest one: sessions after it are new during
/// this visit.
pub async fn page_seen_before_in(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<Option<SessionId>, sqlx::Error> {
    let row: Option<(Option<SessionId>,)> =
        sqlx::query_as("SELECT seen_before_session_id FROM session_page_visits WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(id,)| id))
}
