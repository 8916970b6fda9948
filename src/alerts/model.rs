//! What the "This wasn't me" page shows: shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// Where a not-me link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotMeState {
    /// Valid and unused: the page offers `Sign out that device`.
    Open,
    /// Used: the session it names and its browser were signed out with it.
    Used,
    /// Past its 7 days.
    Expired,
    /// Unused, but its session had already ended another way (revoked, signed out, expired) and
    /// its browser is already forgotten (or it had none): there is nothing left to end.
    AlreadyEnded,
}

/// A not-me link and the one session it names (nothing else about the account).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotMeView {
    /// Where the link stands.
    pub state: NotMeState,
    /// The session's name as on the sessions page, e.g. "Firefox 132 on Ubuntu".
    pub device: String,
    /// "203.0.113.7 · Germany", "203.0.113.7" or "unknown address".
    pub place: String,
    /// Sign-in time in UTC, e.g. "26 Nov 2026, 14:02 UTC".
    pub signed_in_at: String,
    /// When the session ended (UTC), if it has.
    pub ended_at: Option<String>,
    /// A used link: how many live sessions of that browser it ended (the named one and any the
    /// browser signed in as since). The browser is forgotten as well.
    #[serde(default)]
    pub ended_sessions: Option<u64>,
}
