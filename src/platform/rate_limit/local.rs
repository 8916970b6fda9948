//! The in-process gate in front of the shared rate limit: a sliding-window counter per key in
//! this process's memory. Every attempt counts; a burst against one instance is refused here
//! without a database round trip.

use crate::platform::ids::UnixTime;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Allows `max` events per key within `window_secs`.
#[derive(Debug)]
pub struct LocalRateLimiter {
    max: u32,
    window_secs: i64,
    events: Mutex<HashMap<String, VecDeque<UnixTime>>>,
}

/// Keys tracked before old entries are swept.
const SWEEP_AT: usize = 10_000;

impl LocalRateLimiter {
    /// A limiter allowing `max` events per `window_secs` per key.
    pub fn new(max: u32, window_secs: i64) -> Self {
        Self {
            max,
            window_secs,
            events: Mutex::new(HashMap::new()),
        }
    }

    /// Checks and counts one event for `key` under one lock, so parallel callers cannot all pass
    /// the check before any of them is counted: for budgets on every attempt (SEC-31).
    pub fn hit(&self, key: &str, now: UnixTime) -> Result<(), u64> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if events.len() >= SWEEP_AT {
            let horizon = now - self.window_secs;
            events.retain(|_, times| times.back().is_some_and(|t| *t > horizon));
        }
        let times = events.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|t| *t <= now - self.window_secs) {
            times.pop_front();
        }
        if times.len() >= self.max as usize {
            let oldest = *times.front().unwrap_or(&now);
            return Err((oldest + self.window_secs).secs_since(now).max(1) as u64);
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-29
    #[test]
    fn blocks_after_max_and_recovers_after_window() {
        let limiter = LocalRateLimiter::new(3, 60);
        for _ in 0..3 {
            assert!(limiter.hit("ip:1", UnixTime(100)).is_ok());
        }
        assert_eq!(limiter.hit("ip:1", UnixTime(100)), Err(60));
        assert_eq!(
            limiter.hit("ip:1", UnixTime(130)),
            Err(30),
            "refused attempts are not counted"
        );
        assert!(
            limiter.hit("ip:2", UnixTime(100)).is_ok(),
            "keys are independent"
        );
        assert!(
            limiter.hit("ip:1", UnixTime(160)).is_ok(),
            "window slid past"
        );
    }
}
