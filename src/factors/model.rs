//! Types shared by the server and the browser: what the security settings page shows.

use serde::{Deserialize, Serialize};

/// The account's two-step sign-in, as `/settings/security` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    /// Authenticator apps can be used (the server has `SECRETS_KEY`).
    pub available: bool,
    /// The account has an authenticator app turned on.
    pub totp_enabled: bool,
    /// Unused recovery codes left.
    pub recovery_left: u32,
    /// Turning something on needs the password first (the last proof is older than the
    /// re-authentication window).
    pub needs_reauth: bool,
    /// An authenticator app being set up (nothing stored yet).
    pub setup: Option<TotpSetup>,
    /// Recovery codes to show once, just after they were made.
    pub recovery_codes: Option<Vec<String>>,
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
