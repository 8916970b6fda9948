//! Types shared by the server and the browser: what one row of the page shows. The API's own
//! types (kind, device, client, country) come from the `active-sessions-api` crate.

use serde::{Deserialize, Serialize};

pub use active_sessions_api::{
    ClientInfo, Country, DeviceType, SessionDetail, SessionKind, SessionSummary,
};

/// A session unused this long is stale: its row says "Not used for …" and "Sign out unused
/// sessions" ends it (never this device).
pub const STALE_AFTER_SECS: i64 = 30 * 24 * 3600;

/// What a session proved when it started (its `mfa_factors`, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proof {
    /// The account's password.
    Password,
    /// A code from the account's authenticator app.
    Totp,
    /// One of the account's recovery codes.
    RecoveryCode,
    /// One of the account's passkeys, with user verification (WebAuthn).
    Webauthn,
}

impl Proof {
    /// The wire form, as in `mfa_factors`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Totp => "totp",
            Self::RecoveryCode => "recovery_code",
            Self::Webauthn => "webauthn",
        }
    }
}

/// An instant, as both a Unix time (for live relative times) and RFC 3339 text (for `<time>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub unix: i64,
    /// The same instant as RFC 3339 in UTC.
    pub rfc3339: String,
}

/// One session as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Public id (never the token).
    pub id: String,
    /// The session that made this request ("this device").
    pub is_current: bool,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// Icon to show.
    pub device: DeviceType,
    /// Human name, e.g. "Firefox 132 on Ubuntu".
    pub name: String,
    /// Parsed client details.
    pub client: ClientInfo,
    /// The raw user agent, if the client sent one.
    pub user_agent: Option<String>,
    /// `password`, `dev` or `cli`.
    pub sign_in_method: String,
    /// Client IP at sign-in.
    pub ip: Option<String>,
    /// Client IP of the last use (at most a minute old), when known.
    pub last_ip: Option<String>,
    /// Country of that IP, when public and known.
    pub country: Option<Country>,
    /// Optional name the user gave the session.
    pub label: Option<String>,
    /// What its title (label or name) looks like to the eye, worked out on the server: rows with
    /// the same key are look-alikes (case, invisible and confusable characters ignored, SEC-44).
    pub look_alike_key: String,
    /// What it proved at sign-in (`password`, `totp`, `recovery_code`).
    pub mfa_factors: Vec<String>,
    /// When what it proved last changed, if it proved anything.
    pub mfa_updated_at: Option<Timestamp>,
    /// 1: one factor (password only), 2: two factors.
    pub assurance_level: u8,
    /// The account has two-step sign-in (then a password-only session is marked weak).
    pub account_has_factor: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// Last request made with it (updated at most once a minute).
    pub last_active_at: Timestamp,
    /// When the token stops being accepted (the earlier of the absolute and idle limits).
    pub expires_at: Timestamp,
    /// Signed in since the account's previous visit of the page (never this device).
    pub is_new: bool,
    /// The absolute end of its lifetime, however active it stays.
    pub lifetime_ends_at: Timestamp,
    /// For a CLI session: the name of the session that approved its sign-in.
    pub approved_from: Option<String>,
    /// For a CLI session: when that approval happened.
    pub approved_at: Option<Timestamp>,
    /// The ids of the live CLI sessions this session approved.
    pub approved_cli: Vec<String>,
    /// Started from the same browser as this device (the device cookie record says so; never a
    /// guess from the user agent).
    pub same_browser: bool,
    /// Wrong current passwords entered with this session (re-authentication): a sign of
    /// compromise the owner should see.
    pub reauth_failures: u64,
}

/// A session of "Recently ended", in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedItem {
    /// Its (dead) public id.
    pub id: String,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// Its name, or the label it was given.
    pub title: String,
    /// The parsed name, when `title` is a label.
    pub name: Option<String>,
    /// When it ended.
    pub ended_at: Timestamp,
    /// How, e.g. "Revoked from Firefox 132 on Ubuntu".
    pub how: String,
    /// "Tried again 2 minutes later, refused", when its token came back.
    pub refused: Option<String>,
}

/// "Recently ended" and the server's clock when it answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedList {
    /// Newest first, the last 30 days.
    pub items: Vec<EndedItem>,
    /// Server time of the answer.
    pub now: i64,
}

/// The page's data: the sessions (this device first) and the server's clock when it answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionList {
    /// This device first, then by last activity, newest first.
    pub sessions: Vec<SessionView>,
    /// Server time of the answer, so server and browser render the same relative times.
    pub now: i64,
    /// Whether "sign out all other sessions" will ask for the password again (SEC-17).
    pub reauth_required: bool,
    /// `SESSION_IDLE_TIMEOUT_SECS`: a session unused this long signs out.
    pub idle_timeout_secs: i64,
    /// `MAX_SESSIONS_PER_USER`: past it the least recently used session is ended.
    pub max_sessions: u32,
    /// The account has two-step sign-in.
    pub account_has_factor: bool,
    /// "Sign out all other sessions" asks for a passkey first (the account has one, and this
    /// session has not proved it within the re-authentication window).
    #[serde(default)]
    pub passkey_required: bool,
}
