//! A counter per key of every attempt (CLI grant starts, redeems, code lookups and approvals,
//! not-me lookups), shared by every app instance through the database (SEC-31, SEC-43). Failed
//! passwords have their own budget with reserve/settle semantics, `platform::failure_budget`.
//!
//! Two gates, in this order: the in-process [`local::LocalRateLimiter`] (a sliding window, no
//! round trip), then one conditional upsert on the key's row in `shared_budgets`, which counts
//! the attempt only if the window has room (`platform::budget_store` says how windows work). With
//! N instances behind a load balancer an attacker still gets one budget, not N.

use crate::platform::ids::UnixTime;
pub mod local;

pub use crate::platform::budget_store::LimitError;
use crate::platform::budget_store::{self as store, Rule};
use crate::platform::db::Db;
use local::LocalRateLimiter;

/// Allows `max` events per key within a window, counted once for every instance.
#[derive(Debug)]
pub struct RateLimiter {
    local: LocalRateLimiter,
    db: Db,
    rule: Rule,
}

impl RateLimiter {
    /// A limiter on `db` allowing `max` events per `window_secs` per key; `scope` names it in
    /// `shared_budgets` and is unique per limiter.
    pub fn new(db: Db, scope: &'static str, max: u32, window_secs: i64) -> Self {
        let max = max.max(1);
        Self {
            local: LocalRateLimiter::new(max, window_secs),
            db,
            rule: Rule {
                scope,
                max,
                window_secs,
                reservation_secs: 0,
            },
        }
    }

    /// Checks and counts one event for `key`, first in this process, then in the database with
    /// one statement, so parallel callers on any instance cannot all pass the check before any
    /// of them is counted.
    pub async fn hit(&self, key: &str, now: UnixTime) -> Result<(), LimitError> {
        self.local
            .hit(key, now)
            .map_err(|retry_after| LimitError::Refused { retry_after })?;
        if store::hit(&self.db, &self.rule, key, now).await? {
            return Ok(());
        }
        let row = store::snapshot(&self.db, &self.rule, key).await?;
        let retry_after = row.map_or(1, |row| row.retry_after(&self.rule, now));
        Err(LimitError::Refused { retry_after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::budget_store::scratch_db;

    // SEC-43: two instances on one database count one budget.
    #[tokio::test]
    async fn two_instances_share_one_window() {
        let (_dir, db) = scratch_db().await;
        let a = RateLimiter::new(db.clone(), "test", 3, 60);
        let b = RateLimiter::new(db.clone(), "test", 3, 60);
        a.hit("ip:1", UnixTime(100)).await.unwrap();
        b.hit("ip:1", UnixTime(100)).await.unwrap();
        a.hit("ip:1", UnixTime(110)).await.unwrap();
        assert!(matches!(
            b.hit("ip:1", UnixTime(130)).await,
            Err(LimitError::Refused { retry_after: 30 })
        ));
        assert!(
            b.hit("ip:2", UnixTime(130)).await.is_ok(),
            "keys are independent"
        );
        let other = RateLimiter::new(db.clone(), "other", 3, 60);
        assert!(
            other.hit("ip:1", UnixTime(130)).await.is_ok(),
            "scopes are independent"
        );
        assert!(b.hit("ip:1", UnixTime(160)).await.is_ok(), "a new window");
        assert!(a.hit("ip:1", UnixTime(160)).await.is_ok());
    }

    // SEC-43: parallel hits through many instances are counted exactly.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn parallel_hits_through_many_instances_never_exceed_the_budget() {
        let (_dir, db) = scratch_db().await;
        let limiters: Vec<_> = (0..4)
            .map(|_| std::sync::Arc::new(RateLimiter::new(db.clone(), "test", 10, 60)))
            .collect();
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let limiter = limiters[i % 4].clone();
                tokio::spawn(async move { limiter.hit("k", UnixTime(100)).await.is_ok() })
            })
            .collect();
        let mut allowed = 0;
        for task in tasks {
            allowed += usize::from(task.await.unwrap());
        }
        assert_eq!(allowed, 10);
    }
}
