//! The in-process gate in front of the shared budget: failures per key in this process's memory,
//! a true sliding window. It costs no database round trip, so a burst against one instance is
//! held here first, and its waiters sleep on a `Notify` instead of polling the database.
//!
//! An attempt is *reserved* before Argon2 runs and counts as a failure until the password proves
//! otherwise, so N guesses sent at once cannot all be evaluated against a budget of M < N: once
//! failures plus attempts in flight fill the budget, the next attempt waits for one in flight to
//! settle (a right password gives its place back, a wrong one keeps it), and is refused with 429
//! when the failures alone fill it (SEC-27, SEC-29). We keep our own rather than governor: GCRA
//! meters every request, while this counts failures only and needs the reserve/settle step.

use crate::platform::ids::UnixTime;
use std::collections::{HashMap, VecDeque};
use std::pin::pin;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Notify;

/// Keys tracked before idle entries are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Default)]
struct Entry {
    failures: VecDeque<UnixTime>,
    pending: u32,
}

/// At most `max` failures per key within `window_secs`, attempts in flight included.
#[derive(Debug)]
pub struct LocalFailureBudget {
    max: u32,
    window_secs: i64,
    max_wait: Duration,
    entries: Mutex<HashMap<String, Entry>>,
    settled: Notify,
}

/// A reserved attempt. Settle it with [`succeeded`](Self::succeeded) or
/// [`failed`](Self::failed); dropped unsettled (e.g. the client went away mid-hash) it counts as
/// a failure.
#[derive(Debug)]
pub struct LocalAttempt<'a> {
    budget: &'a LocalFailureBudget,
    keys: Vec<String>,
    at: UnixTime,
    settled: bool,
}

impl LocalFailureBudget {
    /// `max` failures per `window_secs`; an attempt waits at most `max_wait` for room.
    pub fn new(max: u32, window_secs: i64, max_wait: Duration) -> Self {
        Self {
            max: max.max(1),
            window_secs,
            max_wait,
            entries: Mutex::new(HashMap::new()),
            settled: Notify::new(),
        }
    }

    /// Reserves one attempt under every key (in the order given, so concurrent callers cannot
    /// deadlock), or `Err(retry_after_secs)`.
    pub async fn reserve(&self, keys: Vec<String>, now: UnixTime) -> Result<LocalAttempt<'_>, u64> {
        let deadline = tokio::time::Instant::now() + self.max_wait;
        let mut attempt = LocalAttempt {
            budget: self,
            keys: Vec::with_capacity(keys.len()),
            at: now,
            settled: false,
        };
        for key in keys {
            if let Err(retry_after) = self.reserve_one(&key, now, deadline).await {
                attempt.settle(false);
                return Err(retry_after);
            }
            attempt.keys.push(key);
        }
        Ok(attempt)
    }

    async fn reserve_one(
        &self,
        key: &str,
        now: UnixTime,
        deadline: tokio::time::Instant,
    ) -> Result<(), u64> {
        loop {
            let mut notified = pin!(self.settled.notified());
            notified.as_mut().enable();
            {
                let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
                if entries.len() >= SWEEP_AT {
                    let horizon = now - self.window_secs;
                    entries.retain(|_, e| e.pending > 0 || e.failures.back() > Some(&horizon));
                }
                let entry = entries.entry(key.to_owned()).or_default();
                while entry
                    .failures
                    .front()
                    .is_some_and(|t| *t <= now - self.window_secs)
                {
                    entry.failures.pop_front();
                }
                let failures = entry.failures.len() as u32;
                if failures >= self.max {
                    let oldest = *entry.failures.front().unwrap_or(&now);
                    return Err((oldest + self.window_secs).secs_since(now).max(1) as u64);
                }
                if failures + entry.pending < self.max {
                    entry.pending += 1;
                    return Ok(());
                }
            }
            // The budget is full of attempts in flight: wait until one settles.
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(1);
            }
        }
    }

    /// Forgets the failures of `key` (the account's owner signed in).
    pub fn reset(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = entries.get_mut(key) {
            entry.failures.clear();
        }
    }

    /// Takes back the failure counted for `key` at `at`, if it is still counted (the attempt
    /// turned out to be the owner's: the second step of a sign-in completed).
    pub fn forgive(&self, key: &str, at: UnixTime) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = entries.get_mut(key)
            && let Some(index) = entry.failures.iter().rposition(|t| *t == at)
        {
            entry.failures.remove(index);
        }
    }

    /// Failures counted for `key` at `now` (for tests and diagnostics).
    pub fn failures(&self, key: &str, now: UnixTime) -> usize {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).map_or(0, |e| {
            e.failures
                .iter()
                .filter(|t| **t > now - self.window_secs)
                .count()
        })
    }
}

impl LocalAttempt<'_> {
    /// The password was right: the attempt gives its place back.
    pub fn succeeded(mut self) {
        self.settle(false);
    }

    /// The password was wrong: the attempt stays counted as a failure.
    pub fn failed(mut self) {
        self.settle(true);
    }

    fn settle(&mut self, failed: bool) {
        if self.settled {
            return;
        }
        self.settled = true;
        {
            let mut entries = self
                .budget
                .entries
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            for key in &self.keys {
                let entry = entries.entry(key.clone()).or_default();
                entry.pending = entry.pending.saturating_sub(1);
                if failed {
                    entry.failures.push_back(self.at);
                }
            }
        }
        self.budget.settled.notify_waiters();
    }
}

impl Drop for LocalAttempt<'_> {
    fn drop(&mut self) {
        self.settle(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(max: u32) -> LocalFailureBudget {
        LocalFailureBudget::new(max, 60, Duration::from_secs(5))
    }

    // SEC-29
    #[tokio::test]
    async fn failures_fill_the_budget_then_429_until_the_window_slides() {
        let b = budget(3);
        for _ in 0..3 {
            b.reserve(vec!["ip:1".into()], UnixTime(100))
                .await
                .unwrap()
                .failed();
        }
        assert_eq!(
            b.reserve(vec!["ip:1".into()], UnixTime(100))
                .await
                .unwrap_err(),
            60
        );
        assert_eq!(
            b.reserve(vec!["ip:1".into()], UnixTime(130))
                .await
                .unwrap_err(),
            30
        );
        assert!(
            b.reserve(vec!["ip:2".into()], UnixTime(100)).await.is_ok(),
            "keys are independent"
        );
        assert!(
            b.reserve(vec!["ip:1".into()], UnixTime(160)).await.is_ok(),
            "window slid past"
        );
    }

    // SEC-27, SEC-29: attempts in flight count, so a burst cannot pass a check all at once.
    #[tokio::test]
    async fn attempts_in_flight_hold_their_place_until_settled() {
        let b = budget(2);
        let first = b.reserve(vec!["a".into()], UnixTime(100)).await.unwrap();
        let second = b.reserve(vec!["a".into()], UnixTime(100)).await.unwrap();
        let third = tokio::time::timeout(
            Duration::from_millis(100),
            b.reserve(vec!["a".into()], UnixTime(100)),
        )
        .await;
        assert!(third.is_err(), "the third waits while two are in flight");
        first.succeeded();
        let third = b.reserve(vec!["a".into()], UnixTime(100)).await.unwrap();
        second.failed();
        third.failed();
        assert_eq!(b.failures("a", UnixTime(100)), 2);
        assert!(b.reserve(vec!["a".into()], UnixTime(100)).await.is_err());
    }

    #[tokio::test]
    async fn a_refused_key_gives_back_the_ones_reserved_before_it() {
        let b = budget(1);
        b.reserve(vec!["account".into()], UnixTime(100))
            .await
            .unwrap()
            .failed();
        assert!(
            b.reserve(vec!["ip".into(), "account".into()], UnixTime(100))
                .await
                .is_err()
        );
        assert_eq!(b.failures("ip", UnixTime(100)), 0);
        assert!(b.reserve(vec!["ip".into()], UnixTime(100)).await.is_ok());
    }

    #[tokio::test]
    async fn a_dropped_attempt_counts_as_a_failure_and_reset_forgets() {
        let b = budget(5);
        drop(b.reserve(vec!["k".into()], UnixTime(100)).await.unwrap());
        assert_eq!(b.failures("k", UnixTime(100)), 1);
        b.reset("k");
        assert_eq!(b.failures("k", UnixTime(100)), 0);
    }
}
