//! Types shared by the server and the browser: what one row of the page shows.

use serde::{Deserialize, Serialize};

/// How the session was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum SessionKind {
    /// A browser login.
    Web,
    /// A token minted by a redeemed CLI grant.
    Cli,
}

impl SessionKind {
    /// The stored / JSON form (`web` or `cli`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Cli => "cli",
        }
    }

    /// Parses the stored form.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "web" => Some(Self::Web),
            "cli" => Some(Self::Cli),
            _ => None,
        }
    }
}

/// The kind of device a session runs on, for the row's icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum DeviceType {
    /// A desktop or laptop browser.
    Desktop,
    /// A phone.
    Phone,
    /// A tablet.
    Tablet,
    /// A command-line client.
    Terminal,
    /// Nothing could be told from the user agent.
    Unknown,
}

/// An instant, as both a Unix time (for live relative times) and RFC 3339 text (for `<time>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instant {
    /// Seconds since the Unix epoch.
    pub unix: i64,
    /// The same instant as RFC 3339 in UTC.
    pub rfc3339: String,
}

/// A country resolved from the client IP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, e.g. `DE`.
    pub code: String,
    /// English name, e.g. `Germany`.
    pub name: String,
}

/// What the client software is, as parsed from its user agent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClientInfo {
    /// Browser or client name, e.g. `Firefox` or `active-sessions-cli`.
    pub client_name: Option<String>,
    /// Its version, e.g. `132.0`.
    pub client_version: Option<String>,
    /// Operating system, e.g. `Ubuntu`, `iOS`, `Windows`.
    pub os_name: Option<String>,
    /// Its version, e.g. `17.5`.
    pub os_version: Option<String>,
    /// Device brand, e.g. `Apple`.
    pub device_brand: Option<String>,
    /// Device model, e.g. `iPhone`.
    pub device_model: Option<String>,
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
    /// Country of that IP, when public and known.
    pub country: Option<Country>,
    /// Optional name the user gave the session.
    pub label: Option<String>,
    /// MFA factors used at sign-in (none yet).
    pub mfa_factors: Vec<String>,
    /// When it was created.
    pub created_at: Instant,
    /// Last request made with it (updated at most once a minute).
    pub last_active_at: Instant,
    /// When the token stops being accepted (the earlier of the absolute and idle limits).
    pub expires_at: Instant,
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
}
