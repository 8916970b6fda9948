//! The statements behind the budgets every instance shares (`shared_budgets`, SEC-43): one row
//! per budget instance (`scope`) and key, changed only by single conditional statements, so two
//! instances can never both take the last place. Both engines run the same SQL: PostgreSQL locks
//! the conflicting row and re-checks the `WHERE` against its latest version; SQLite runs one
//! writer at a time.
//!
//! **Windows.** A row counts the events of one window that opens with the first counted event
//! (or the first reservation after an empty one) and lasts `window_secs`; the next event after it
//! opens a new one. So at most `max` events per window, and at most 2 × `max` in any span of
//! `window_secs` that straddles two windows (the in-process sliding window in front still holds
//! each instance to `max`).
//!
//! **Reservations.** `in_flight` counts password attempts reserved and not yet settled. Every
//! reservation pushes `in_flight_until` to its own time plus `reservation_secs` — time of the
//! system clock (`wall`), not of the app's clock: expiry is about instances that crashed, and a
//! test clock that jumps minutes between two statements must not expire an attempt still being
//! hashed (windows keep the app's clock, `now`); once that
//! passes with attempts still in flight (their instance crashed, or could not write the
//! settlement), they stop holding places and **count as failures** of the window in which that
//! is noticed: an attempt dropped unsettled counts as a failure, as it always has. Noticing it
//! bumps `epoch`, and a settlement carries the epoch of its reservation, so a late settlement of
//! an expired attempt changes nothing (it was counted already; a late success is not given
//! back).

use crate::platform::db::Db;
use crate::platform::ids::UnixTime;

/// One budget instance's settings, as the statements need them.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Names the budget instance (`login`, `grant`, …): instances never share rows, so the same
    /// key can have different maxima in two instances.
    pub scope: &'static str,
    /// Events (failures, or hits) allowed per window.
    pub max: u32,
    /// The window, in seconds.
    pub window_secs: i64,
    /// Seconds after its latest reservation that a key's attempts in flight expire (failure
    /// budgets; 0 for rate limits, which reserve nothing).
    pub reservation_secs: i64,
}

/// Why an event was not allowed.
#[derive(Debug, thiserror::Error)]
pub enum LimitError {
    /// The budget is spent: try again in `retry_after` seconds (429 with `Retry-After`).
    #[error("rate limited for {retry_after} s")]
    Refused {
        /// Seconds until the window lets a new event in.
        retry_after: u64,
    },
    /// The shared budget could not be read or written.
    #[error("shared budget: {0}")]
    Db(#[from] sqlx::Error),
}

/// A row as it stands, for the reason of a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Snapshot {
    window_start: UnixTime,
    counted: i64,
    in_flight: i64,
    in_flight_until: UnixTime,
}

// The same definitions in SQL (over the row before the statement) and in `Snapshot`:
// E: attempts in flight have expired; W: the window is over or empty.
const RESERVE: &str = "\
INSERT INTO shared_budgets (scope, budget_key, window_start, counted, in_flight, \
 in_flight_until, epoch, stale_at) VALUES ($1, $2, $3, 0, 1, $6, 0, $7) \
ON CONFLICT (scope, budget_key) DO UPDATE SET \
 window_start = CASE WHEN (shared_budgets.window_start + $4 <= $3 OR shared_budgets.counted = 0) \
  THEN $3 ELSE shared_budgets.window_start END, \
 counted = (CASE WHEN (shared_budgets.window_start + $4 <= $3 OR shared_budgets.counted = 0) \
  THEN 0 ELSE shared_budgets.counted END) \
  + (CASE WHEN (shared_budgets.in_flight > 0 AND shared_budgets.in_flight_until <= $8) \
  THEN shared_budgets.in_flight ELSE 0 END), \
 in_flight = (CASE WHEN (shared_budgets.in_flight > 0 AND shared_budgets.in_flight_until <= $8) \
  THEN 0 ELSE shared_budgets.in_flight END) + 1, \
 in_flight_until = $6, \
 epoch = CASE WHEN (shared_budgets.in_flight > 0 AND shared_budgets.in_flight_until <= $8) \
  THEN shared_budgets.epoch + 1 ELSE shared_budgets.epoch END, \
 stale_at = $7 \
WHERE (CASE WHEN (shared_budgets.window_start + $4 <= $3 OR shared_budgets.counted = 0) \
  THEN 0 ELSE shared_budgets.counted END) \
 + (CASE WHEN (shared_budgets.in_flight > 0 AND shared_budgets.in_flight_until <= $8) \
  THEN shared_budgets.in_flight ELSE 0 END) \
 + (CASE WHEN (shared_budgets.in_flight > 0 AND shared_budgets.in_flight_until <= $8) \
  THEN 0 ELSE shared_budgets.in_flight END) < $5 \
RETURNING epoch";

const HIT: &str = "\
INSERT INTO shared_budgets (scope, budget_key, window_start, counted, in_flight, \
 in_flight_until, epoch, stale_at) VALUES ($1, $2, $3, 1, 0, 0, 0, $6) \
ON CONFLICT (scope, budget_key) DO UPDATE SET \
 window_start = CASE WHEN shared_budgets.window_start + $4 <= $3 \
  THEN $3 ELSE shared_budgets.window_start END, \
 counted = CASE WHEN shared_budgets.window_start + $4 <= $3 \
  THEN 1 ELSE shared_budgets.counted + 1 END, \
 stale_at = $6 \
WHERE shared_budgets.window_start + $4 <= $3 OR shared_budgets.counted < $5 \
RETURNING counted";

impl Rule {
    /// When a row written at `now` says nothing any more: its window is over and any attempt
    /// reserved by then has expired and its failure's window is over too.
    fn stale_at(&self, now: UnixTime) -> UnixTime {
        now + self.reservation_secs + self.window_secs
    }
}

/// Reserves one attempt in flight under `key` if failures plus attempts in flight leave room:
/// the reservation's epoch (to settle it with), or `None` when there is no room.
///
/// `now` is the app's clock (windows), `wall` the system clock (expiry of attempts in flight).
pub async fn reserve(
    db: &Db,
    rule: &Rule,
    key: &str,
    now: UnixTime,
    wall: UnixTime,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(RESERVE)
        .bind(rule.scope)
        .bind(key)
        .bind(now)
        .bind(rule.window_secs)
        .bind(i64::from(rule.max))
        .bind(wall + rule.reservation_secs)
        .bind(rule.stale_at(now))
        .bind(wall)
        .fetch_optional(db.pool())
        .await
}

/// How an attempt reserved under one key ended.
#[derive(Clone, Copy, Debug)]
pub struct Settlement<'a> {
    /// The key it was reserved under.
    pub key: &'a str,
    /// The epoch [`reserve`] returned.
    pub epoch: i64,
    /// When it was reserved: a failure counts from then, like in the in-process budget.
    pub at: UnixTime,
    /// A wrong password (or an attempt dropped unsettled).
    pub failed: bool,
}

/// Settles a reserved attempt: it leaves the attempts in flight and, when it failed, counts as a
/// failure. Nothing happens when its reservation expired meanwhile (it was counted then). An
/// error is logged, not returned: the reservation then expires and counts as a failure.
pub async fn settle(db: &Db, rule: &Rule, settlement: Settlement<'_>) {
    let query = if settlement.failed {
        sqlx::query(
            "UPDATE shared_budgets SET in_flight = in_flight - 1, \
             counted = CASE WHEN window_start + $4 <= $5 OR counted = 0 \
              THEN 1 ELSE counted + 1 END, \
             window_start = CASE WHEN window_start + $4 <= $5 OR counted = 0 \
              THEN $5 ELSE window_start END \
             WHERE scope = $1 AND budget_key = $2 AND epoch = $3 AND in_flight > 0",
        )
        .bind(rule.scope)
        .bind(settlement.key)
        .bind(settlement.epoch)
        .bind(rule.window_secs)
        .bind(settlement.at)
    } else {
        sqlx::query(
            "UPDATE shared_budgets SET in_flight = in_flight - 1 \
             WHERE scope = $1 AND budget_key = $2 AND epoch = $3 AND in_flight > 0",
        )
        .bind(rule.scope)
        .bind(settlement.key)
        .bind(settlement.epoch)
    };
    if let Err(e) = query.execute(db.pool()).await {
        tracing::warn!(
            error = %e,
            scope = rule.scope,
            failed = settlement.failed,
            "could not settle a shared budget; the reservation will expire as a failure"
        );
    }
}

/// Forgets the failures counted under `key` (the account's owner signed in).
pub async fn reset(db: &Db, rule: &Rule, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE shared_budgets SET counted = 0 WHERE scope = $1 AND budget_key = $2")
        .bind(rule.scope)
        .bind(key)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Takes back one failure counted under `key` at `at`, if the window it was counted in is still
/// the row's (an older window's failures are gone already).
pub async fn forgive(db: &Db, rule: &Rule, key: &str, at: UnixTime) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE shared_budgets SET counted = counted - 1 \
         WHERE scope = $1 AND budget_key = $2 AND counted > 0 \
         AND window_start <= $3 AND window_start + $4 > $3",
    )
    .bind(rule.scope)
    .bind(key)
    .bind(at)
    .bind(rule.window_secs)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Counts one event under `key` if the window has room; whether it was counted.
pub async fn hit(db: &Db, rule: &Rule, key: &str, now: UnixTime) -> sqlx::Result<bool> {
    let counted: Option<i64> = sqlx::query_scalar(HIT)
        .bind(rule.scope)
        .bind(key)
        .bind(now)
        .bind(rule.window_secs)
        .bind(i64::from(rule.max))
        .bind(rule.stale_at(now))
        .fetch_optional(db.pool())
        .await?;
    Ok(counted.is_some())
}

/// The row of `key`, if any.
pub async fn snapshot(db: &Db, rule: &Rule, key: &str) -> sqlx::Result<Option<Snapshot>> {
    sqlx::query_as(
        "SELECT window_start, counted, in_flight, in_flight_until FROM shared_budgets \
         WHERE scope = $1 AND budget_key = $2",
    )
    .bind(rule.scope)
    .bind(key)
    .fetch_optional(db.pool())
    .await
}

/// Deletes the rows that say nothing any more (housekeeping).
pub async fn sweep(db: &Db, now: UnixTime) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM shared_budgets WHERE stale_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await
        .map(|r| r.rows_affected())
}

impl Snapshot {
    fn window_open(&self, rule: &Rule, now: UnixTime) -> bool {
        self.window_start + rule.window_secs > now && self.counted > 0
    }

    fn expired(&self, wall: UnixTime) -> bool {
        self.in_flight > 0 && self.in_flight_until <= wall
    }

    /// Failures counted at `now` (app clock), attempts expired by `wall` (system clock)
    /// included: what [`reserve`] compares.
    pub fn failures(&self, rule: &Rule, now: UnixTime, wall: UnixTime) -> i64 {
        let counted = if self.window_open(rule, now) {
            self.counted
        } else {
            0
        };
        counted
            + if self.expired(wall) {
                self.in_flight
            } else {
                0
            }
    }

    /// Seconds until the failures counted at `now` leave the window: the rest of the window, or
    /// a whole one when the failures are expired attempts that open the next.
    pub fn retry_after(&self, rule: &Rule, now: UnixTime) -> u64 {
        let end = if self.window_open(rule, now) {
            self.window_start + rule.window_secs
        } else {
            now + rule.window_secs
        };
        end.secs_since(now).max(1) as u64
    }
}

/// A fresh SQLite database in a temporary directory, migrated (unit tests of the budgets).
#[cfg(test)]
pub(crate) async fn scratch_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}/budgets.db", dir.path().display());
    let config = crate::platform::config::Config::from_lookup(|name| {
        (name == "DATABASE_URL").then(|| url.clone())
    })
    .expect("config");
    let db = Db::connect(&config).await.expect("connect");
    (dir, db)
}

#[cfg(test)]
mod tests;
