//! Typed ids and instants: a session id cannot be passed where an account id is expected, and a
//! Unix time cannot be mistaken for a duration. Each is one `i64` in the database
//! (`#[sqlx(transparent)]`), so queries bind and read them directly.

use std::fmt;
use std::ops::{Add, Sub};

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(
    /// An account (`users.id`).
    UserId
);
row_id!(
    /// A session's internal row id (`sessions.id`); never shown (the page and the API use the
    /// public id).
    SessionId
);
row_id!(
    /// A browser known by its device cookie (`trusted_devices.id`).
    DeviceId
);
row_id!(
    /// A CLI sign-in grant (`cli_grants.id`).
    GrantId
);
row_id!(
    /// One of an account's passkeys (`passkeys.id`).
    PasskeyId
);

/// Whole seconds since 1970-01-01T00:00:00Z, as the app's clock reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// Seconds from `earlier` to this instant (negative when `earlier` is later).
    pub fn secs_since(self, earlier: UnixTime) -> i64 {
        self.0 - earlier.0
    }
}

impl Add<i64> for UnixTime {
    type Output = UnixTime;
    fn add(self, secs: i64) -> UnixTime {
        UnixTime(self.0.saturating_add(secs))
    }
}

impl Sub<i64> for UnixTime {
    type Output = UnixTime;
    fn sub(self, secs: i64) -> UnixTime {
        UnixTime(self.0.saturating_sub(secs))
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_move_by_seconds_and_measure_the_gap() {
        let t = UnixTime(1_000);
        assert_eq!(t + 60, UnixTime(1_060));
        assert_eq!(t - 60, UnixTime(940));
        assert_eq!((t + 60).secs_since(t), 60);
        assert_eq!(t.secs_since(t + 60), -60);
        assert_eq!(UnixTime(i64::MAX) + 1, UnixTime(i64::MAX));
    }
}
