//! Budgets of failed password attempts per key (`ip:…`, `account:…`, `device:…`, `reauth:…`),
//! shared by every app instance through the database (SEC-29, SEC-43).
//!
//! An attempt is *reserved* before Argon2 runs and counts as a failure until the password proves
//! otherwise, so N guesses sent at once cannot all be evaluated against a budget of M < N: once
//! failures plus attempts in flight fill the budget, the next attempt waits for one in flight to
//! settle (a right password gives its place back, a wrong one keeps it), and is refused with 429
//! when the failures alone fill it (SEC-27).
//!
//! Two gates, in this order: the in-process [`local::LocalFailureBudget`] (no round trip; holds a
//! burst against one instance and lets its waiters sleep), then the row of each key in
//! `shared_budgets`, reserved and settled with one conditional statement each
//! (`platform::budget_store`, which also says how windows and expiry work). With N instances
//! behind a load balancer an attacker still gets one budget, not N. Waiting for room held by
//! another instance polls the row (10 ms doubling to 200 ms, until `max_wait`).
//!
//! Each budget instance has its own `scope`, `max` and window: a second budget with a higher
//! ceiling over the same keys (say, per account above per session) is a second
//! [`FailureBudget`] with another scope.

use crate::platform::ids::UnixTime;
pub mod local;

pub use crate::platform::budget_store::LimitError;
use crate::platform::budget_store::{self as store, Rule, Settlement};
use crate::platform::clock::{Clock, SystemClock};
use crate::platform::db::Db;
use local::{LocalAttempt, LocalFailureBudget};
use std::sync::Arc;
use std::time::Duration;

/// Seconds a reservation may stay unsettled beyond `max_wait` before it expires: far more than
/// hashing and the few statements after it take.
const SETTLE_MARGIN_SECS: i64 = 60;
/// The longest pause between two looks at a row full of attempts in flight.
const MAX_POLL: Duration = Duration::from_millis(200);

/// What a [`FailureBudget`] allows.
#[derive(Clone, Copy, Debug)]
pub struct BudgetSettings {
    /// Names the budget instance in `shared_budgets` (`login`, …); unique per instance.
    pub scope: &'static str,
    /// Failures allowed per key and window.
    pub max: u32,
    /// The window, in seconds.
    pub window_secs: i64,
    /// How long an attempt waits for room while the budget is full of attempts in flight.
    pub max_wait: Duration,
}

/// At most `max` failures per key within a window, attempts in flight included, counted once for
/// every instance on the database.
pub struct FailureBudget {
    local: LocalFailureBudget,
    db: Db,
    wall: Arc<dyn Clock>,
    rule: Rule,
    max_wait: Duration,
}

/// A reserved attempt. Settle it with [`succeeded`](Self::succeeded) or
/// [`failed`](Self::failed); dropped unsettled (e.g. the client went away mid-hash) it counts as
/// a failure.
#[derive(Debug)]
pub struct Attempt<'a> {
    budget: &'a FailureBudget,
    local: Option<LocalAttempt<'a>>,
    reserved: Vec<(String, i64)>,
    at: UnixTime,
}

impl std::fmt::Debug for FailureBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FailureBudget")
            .field("rule", &self.rule)
            .finish_non_exhaustive()
    }
}

impl FailureBudget {
    /// A budget on `db` with `settings`.
    pub fn new(db: Db, settings: BudgetSettings) -> Self {
        let max = settings.max.max(1);
        Self {
            local: LocalFailureBudget::new(max, settings.window_secs, settings.max_wait),
            db,
            wall: Arc::new(SystemClock),
            rule: Rule {
                scope: settings.scope,
                max,
                window_secs: settings.window_secs,
                reservation_secs: settings.max_wait.as_secs() as i64 + SETTLE_MARGIN_SECS,
            },
            max_wait: settings.max_wait,
        }
    }

    /// The same budget with `wall` as the system clock that expires attempts in flight (tests).
    pub fn with_wall_clock(mut self, wall: Arc<dyn Clock>) -> Self {
        self.wall = wall;
        self
    }

    /// Reserves one attempt under every key (in the order given, so concurrent callers cannot
    /// deadlock), or says why not: [`LimitError::Refused`] with the seconds to wait.
    pub async fn reserve(
        &self,
        keys: Vec<String>,
        now: UnixTime,
    ) -> Result<Attempt<'_>, LimitError> {
        let deadline = tokio::time::Instant::now() + self.max_wait;
        let local = self
            .local
            .reserve(keys.clone(), now)
            .await
            .map_err(|retry_after| LimitError::Refused { retry_after })?;
        let mut attempt = Attempt {
            budget: self,
            local: Some(local),
            reserved: Vec::with_capacity(keys.len()),
            at: now,
        };
        for key in keys {
            match self.reserve_shared(&key, now, deadline).await {
                Ok(epoch) => attempt.reserved.push((key, epoch)),
                Err(e) => {
                    attempt.settle(false).await;
                    return Err(e);
                }
            }
        }
        Ok(attempt)
    }

    async fn reserve_shared(
        &self,
        key: &str,
        now: UnixTime,
        deadline: tokio::time::Instant,
    ) -> Result<i64, LimitError> {
        let mut pause = Duration::from_millis(10);
        loop {
            let wall = self.wall.now();
            if let Some(epoch) = store::reserve(&self.db, &self.rule, key, now, wall).await? {
                return Ok(epoch);
            }
            if let Some(row) = store::snapshot(&self.db, &self.rule, key).await?
                && row.failures(&self.rule, now, self.wall.now()) >= i64::from(self.rule.max)
            {
                let retry_after = row.retry_after(&self.rule, now);
                return Err(LimitError::Refused { retry_after });
            }
            // The budget is full of attempts in flight, here or on another instance.
            if tokio::time::Instant::now() + pause > deadline {
                return Err(LimitError::Refused { retry_after: 1 });
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(MAX_POLL);
        }
    }

    /// Forgets the failures of `key` (the account's owner signed in). An error is logged: the
    /// failures then stay until their window ends.
    pub async fn reset(&self, key: &str) {
        self.local.reset(key);
        if let Err(e) = store::reset(&self.db, &self.rule, key).await {
            tracing::warn!(error = %e, scope = self.rule.scope, "could not reset a shared budget");
        }
    }

    /// Takes back the failure counted under `key` at `at` (an attempt that turned out to be the
    /// owner's: the password step of a sign-in whose second step completed). An error is logged:
    /// the failure then stays until its window ends.
    pub async fn forgive(&self, key: &str, at: UnixTime) {
        self.local.forgive(key, at);
        if let Err(e) = store::forgive(&self.db, &self.rule, key, at).await {
            tracing::warn!(error = %e, scope = self.rule.scope, "could not forgive a failure");
        }
    }

    /// Failures counted for `key` at `now` by every instance (for tests and diagnostics).
    pub async fn failures(&self, key: &str, now: UnixTime) -> sqlx::Result<i64> {
        let row = store::snapshot(&self.db, &self.rule, key).await?;
        Ok(row.map_or(0, |row| row.failures(&self.rule, now, self.wall.now())))
    }
}

impl Attempt<'_> {
    /// When it was reserved: the time its failure is counted at (see [`FailureBudget::forgive`]).
    pub fn at(&self) -> UnixTime {
        self.at
    }

    /// The password was right: the attempt gives its place back.
    pub async fn succeeded(mut self) {
        self.settle(false).await;
    }

    /// The password was wrong: the attempt stays counted as a failure.
    pub async fn failed(mut self) {
        self.settle(true).await;
    }

    async fn settle(&mut self, failed: bool) {
        if let Some(local) = self.local.take() {
            if failed {
                local.failed();
            } else {
                local.succeeded();
            }
        }
        // Spawned so that a caller dropped mid-way (the client went away) cannot leave some keys
        // settled and others not.
        if let Some(task) = self.settle_task(failed)
            && let Err(e) = tokio::spawn(task).await
        {
            tracing::warn!(error = %e, "settling a shared budget failed");
        }
    }

    /// Settles the shared reservations, each with one statement; `None` when there are none.
    fn settle_task(&mut self, failed: bool) -> Option<impl Future<Output = ()> + use<>> {
        if self.reserved.is_empty() {
            return None;
        }
        let reserved = std::mem::take(&mut self.reserved);
        let (db, rule, at) = (self.budget.db.clone(), self.budget.rule, self.at);
        Some(async move {
            for (key, epoch) in &reserved {
                let settlement = Settlement {
                    key,
                    epoch: *epoch,
                    at,
                    failed,
                };
                store::settle(&db, &rule, settlement).await;
            }
        })
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        // The local attempt counts itself as a failure when dropped; the shared reservations
        // are settled as failures by a task, or, without a runtime, expire as failures.
        if let Some(task) = self.settle_task(true)
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(task);
        }
    }
}

#[cfg(test)]
mod tests;
