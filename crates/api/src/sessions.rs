//! Sessions as the API lists and describes them.

use serde::{Deserialize, Serialize};

/// How the session was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SessionKind {
    /// A browser login.
    Web,
    /// A token minted by a redeemed CLI grant.
    Cli,
}

impl SessionKind {
    /// The stored / JSON / query form (`web` or `cli`).
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

impl TryFrom<String> for SessionKind {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| format!("unknown session kind {raw:?}"))
    }
}

/// The kind of device a session runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// A country resolved from the client IP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, e.g. `DE`.
    pub code: String,
    /// English name, e.g. `Germany`.
    pub name: String,
}

/// What the client software is, as parsed from its user agent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// One entry of the list (`SessionSummary` of the shared schema; no other fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    /// Stable session id; `DELETE /api/v1/auth/sessions/{id}` revokes it.
    pub id: String,
    /// RFC 3339 time the session was created.
    pub created_at: String,
    /// RFC 3339 time after which the token is no longer accepted.
    pub expires_at: String,
    /// True for the session that made this request.
    pub is_current: bool,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// User-Agent captured at creation; null when none was sent.
    pub user_agent: Option<String>,
}

/// One session with everything we know (Appwrite-style fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionDetail {
    /// Stable session id.
    pub id: String,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 expiry.
    pub expires_at: String,
    /// RFC 3339 time of the last request made with it (minute precision).
    pub last_active_at: String,
    /// True for the caller's own session.
    pub is_current: bool,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// Raw user agent.
    pub user_agent: Option<String>,
    /// Human name, e.g. "Firefox 132 on Ubuntu".
    pub name: String,
    /// Kind of device.
    pub device_type: DeviceType,
    /// Parsed client, OS and device.
    pub client: ClientInfo,
    /// Client IP at sign-in.
    pub ip: Option<String>,
    /// Country of that IP.
    pub country: Option<Country>,
    /// `password`, `dev` or `cli`.
    pub sign_in_method: String,
    /// MFA factors used (empty: none yet).
    pub mfa_factors: Vec<String>,
    /// User-given label.
    pub label: Option<String>,
}

/// Body of `PATCH /api/v1/auth/sessions/{id}`: the session's new name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenameRequest {
    /// At most 64 characters, trimmed; no control or text-direction characters. `null` or blank
    /// removes the name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub label: Option<String>,
}

/// Body of revoke-others.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeOthersRequest {
    /// The account password; needed when the last sign-in is older than the re-auth window.
    #[serde(default)]
    pub password: Option<String>,
}

impl std::fmt::Debug for RevokeOthersRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevokeOthersRequest")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Answer of `POST /login` with `Accept: application/json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Public id of the new session.
    pub id: String,
}
