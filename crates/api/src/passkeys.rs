//! Passkey (WebAuthn) ceremonies: each is started (`…/start`, the options for
//! `navigator.credentials`) and finished (`…/finish`, the browser's credential) with the
//! single-use `ceremony` handle the start returned, within five minutes.

use serde::{Deserialize, Serialize};

/// The body of `POST /api/v1/auth/passkeys/register/start`: the proofs step-up asks for when
/// the session's are older than the re-authentication window (an account without a passkey:
/// the password, and a code from the authenticator app when it has one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyStartRequest {
    /// The account password (step-up).
    #[serde(default)]
    pub password: Option<String>,
    /// A code from the authenticator app (step-up; a recovery code does not count).
    #[serde(default)]
    pub code: Option<String>,
}

/// A ceremony started: send `options` to `navigator.credentials.create` / `.get` (binary
/// fields are unpadded base64url) and the result to the matching `…/finish` with `ceremony`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CeremonyStarted {
    /// The ceremony's single-use handle (five minutes).
    pub ceremony: String,
    /// WebAuthn `CredentialCreationOptions` or `CredentialRequestOptions` as JSON.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// The body of every `…/finish`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyFinishRequest {
    /// The handle `…/start` returned.
    pub ceremony: String,
    /// The browser's `PublicKeyCredential` as JSON (binary fields unpadded base64url).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
    /// Registration: a name for the passkey (at most 64 characters).
    #[serde(default)]
    pub name: Option<String>,
    /// Sign-in: the relative path to go to afterwards.
    #[serde(default)]
    pub next: Option<String>,
    /// Registration: also sign out every other session of the account.
    #[serde(default)]
    pub sign_out_others: bool,
}

/// A passkey sign-in that succeeded (the session cookie is set).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeySignedIn {
    /// The new session's public id.
    pub id: String,
    /// Where to go now (a same-site path).
    pub redirect: String,
}

/// A passkey added as the account's first second factor: from now on signing in asks for it
/// (or one of these codes) after the password. (Any later passkey answers 204 with no body.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyAdded {
    /// The recovery codes, shown this once: each signs in once without the passkey.
    pub recovery_codes: Vec<String>,
    /// The security page that shows them once more for saving (a same-site path, five minutes,
    /// this session only).
    pub show: String,
}

/// The body of `POST /api/v1/auth/passkeys/remove`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovePasskeyRequest {
    /// The passkey's id, as listed on the security page.
    pub id: i64,
    /// Also sign out every other session of the account.
    #[serde(default)]
    pub sign_out_others: bool,
}
