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
    /// What the session proved at sign-in: `password`, `totp` (an authenticator app code) or
    /// `recovery_code` (empty for development and CLI sessions).
    pub mfa_factors: Vec<String>,
    /// When what the session proved last changed (RFC 3339); absent when it proved nothing.
    #[serde(default)]
    pub mfa_updated_at: Option<String>,
    /// User-given label.
    pub label: Option<String>,
    /// Started from the same browser as the caller's session (its device cookie record says
    /// so; never guessed from the user agent).
    #[serde(default)]
    pub same_browser: bool,
    /// Wrong current passwords entered with this session when asked to confirm it: a sign that
    /// whoever holds it does not know the password.
    #[serde(default)]
    pub reauth_failures: u64,
}

/// Why a session ended, as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndedReason {
    /// Its own user signed out (or revoked "this device").
    SignedOut,
    /// Revoked from another session.
    Revoked,
    /// "Sign out all other sessions" from another session.
    RevokedOthers,
    /// The password was changed.
    PasswordChanged,
    /// Past its absolute lifetime.
    Expired,
    /// Unused longer than the idle timeout.
    Idle,
    /// The account reached its session limit; the least recently used session was ended.
    Evicted,
    /// The account was disabled.
    AccountDisabled,
    /// A new sign-in in the same browser replaced it.
    ReplacedByLogin,
    /// Reported as "not me" (a sign-in alert's link or the page's "Not you?").
    NotMe,
    /// Signed out with "Sign out unused sessions" (unused for 30 days or more).
    Unused,
    /// Signed out with "Sign out sessions without two-step" (it proved one factor only).
    WithoutTwoStep,
    /// A reason this client does not know yet (newer server).
    #[serde(other)]
    Unknown,
}

impl EndedReason {
    /// How it ended, in words; `by` is the name of the session that ended it, if any.
    pub fn describe(self, by: Option<&str>) -> String {
        match (self, by) {
            (Self::SignedOut, _) => "You signed out".into(),
            (Self::Revoked, Some(by)) => format!("Revoked from {by}"),
            (Self::Revoked, None) => "Revoked".into(),
            (Self::RevokedOthers, Some(by)) => {
                format!("Signed out with \u{201c}Sign out all other sessions\u{201d} from {by}")
            }
            (Self::RevokedOthers, None) => {
                "Signed out with \u{201c}Sign out all other sessions\u{201d}".into()
            }
            (Self::PasswordChanged, _) => "Password changed".into(),
            (Self::Expired, _) => "Expired".into(),
            (Self::Idle, _) => "Unused too long".into(),
            (Self::Evicted, _) => "Too many sessions (the oldest was ended)".into(),
            (Self::AccountDisabled, _) => "Account disabled".into(),
            (Self::ReplacedByLogin, _) => "Signed in again in the same browser".into(),
            (Self::NotMe, Some(by)) => format!("Reported as not you from {by}"),
            (Self::NotMe, None) => "Reported as not you (email link)".into(),
            (Self::Unused, Some(by)) => format!("Signed out as unused from {by}"),
            (Self::Unused, None) => "Signed out as unused".into(),
            (Self::WithoutTwoStep, Some(by)) => format!(
                "Signed out with \u{201c}Sign out sessions without two-step\u{201d} from {by}"
            ),
            (Self::WithoutTwoStep, None) => {
                "Signed out with \u{201c}Sign out sessions without two-step\u{201d}".into()
            }
            (Self::Unknown, _) => "Ended".into(),
        }
    }
}

/// A session that ended in the last 30 days (`GET /api/v1/auth/sessions/ended`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndedSession {
    /// Its id (no longer accepted anywhere).
    pub id: String,
    /// `web` or `cli`.
    pub kind: SessionKind,
    /// Human name, e.g. "Firefox 132 on Ubuntu".
    pub name: String,
    /// The name it was given, if any.
    pub label: Option<String>,
    /// RFC 3339 sign-in time.
    pub created_at: String,
    /// RFC 3339 time it ended.
    pub ended_at: String,
    /// Why.
    pub ended_reason: EndedReason,
    /// Name of the session that ended it (null: the server, an administrator, or an email link).
    pub ended_by: Option<String>,
    /// How many times its token was presented again after it ended (each refused).
    pub refused_after: u64,
    /// RFC 3339 time of the last such attempt.
    pub last_refused_at: Option<String>,
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
    /// A code from the authenticator app; needed as well when the account has one and this
    /// session has not proved it within the re-auth window (`step_up_required`).
    #[serde(default)]
    pub code: Option<String>,
}

impl std::fmt::Debug for RevokeOthersRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevokeOthersRequest")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Answer of `POST /login` with `Accept: application/json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Public id of the new session.
    pub id: String,
}
