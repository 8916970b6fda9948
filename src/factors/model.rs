//! Types shared by the server and the browser: what the security settings page shows.

use crate::sessions::model::Timestamp;
use serde::{Deserialize, Serialize};

/// The account's two-step sign-in, as `/settings/security` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    /// Authenticator apps can be used (the server has `SECRETS_KEY`).
    pub available: bool,
    /// The account has an authenticator app turned on.
    pub totp_enabled: bool,
    /// Signing in asks for a second step (an app, or a passkey backed by recovery codes).
    #[serde(default)]
    pub two_step: bool,
    /// Unused recovery codes left.
    pub recovery_left: u32,
    /// Turning something on needs the password first (the last proof is older than the
    /// re-authentication window).
    pub needs_reauth: bool,
    /// An authenticator app being set up (nothing stored yet).
    pub setup: Option<TotpSetup>,
    /// Recovery codes to show once, just after they were made.
    pub recovery_codes: Option<Vec<String>>,
    /// Passkeys can be used (the server's `PUBLIC_URL` names it by a domain).
    pub passkeys_available: bool,
    /// The account's passkeys, oldest first.
    pub passkeys: Vec<PasskeyInfo>,
    /// A sensitive action needs a passkey first (the account has one, and this session has not
    /// proved it within the re-authentication window).
    pub needs_passkey: bool,
}

/// One passkey of the account, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    /// Its id (the remove form sends it).
    pub id: i64,
    /// The name it was given.
    pub name: String,
    /// When it was added.
    pub created: Timestamp,
    /// When it last signed in or confirmed an action.
    pub last_used: Option<Timestamp>,
}

/// An authenticator app being set up: shown, not stored until a code confirms it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// The secret in base32, for typing into the app.
    pub secret: String,
    /// The QR code of its `otpauth://` URL, as SVG drawn on the server.
    pub qr_svg: String,
    /// The sealed secret the "Turn on" form sends back (opens only for this session, for ten
    /// minutes).
    pub ticket: String,
}

#[cfg(feature = "ssr")]
impl From<crate::factors::repository::passkeys::PasskeyRow> for PasskeyInfo {
    fn from(row: crate::factors::repository::passkeys::PasskeyRow) -> Self {
        use crate::sessions::presenter::timestamp;
        Self {
            id: row.id.0,
            name: row.name,
            created: timestamp(row.created_at),
            last_used: row.last_used_at.map(timestamp),
        }
    }
}
