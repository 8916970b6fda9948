//! Time as the server sees it. Production reads the system clock; tests inject a [`ManualClock`]
//! to cross idle and absolute timeouts without sleeping (SEC-10).

use super::ids::UnixTime;
use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

/// Current time in whole seconds since the Unix epoch.
pub trait Clock: Send + Sync + 'static {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> UnixTime;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixTime {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(UnixTime(0), |d| UnixTime(d.as_secs() as i64))
    }
}

/// A clock that starts at the real time and only moves when told to.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// Starts at the current system time.
    pub fn new() -> Self {
        Self(Arc::new(AtomicI64::new(SystemClock.now().0)))
    }

    /// Moves the clock forward by `secs`.
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UnixTime {
        UnixTime(self.0.load(Ordering::SeqCst))
    }
}
