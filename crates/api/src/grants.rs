//! The CLI sign-in grant (RFC 8628-style device flow).

use serde::{Deserialize, Serialize};

/// A started grant: show `user_code` and `verification_uri` to the person, poll with `device_code`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartedGrant {
    /// Secret the CLI redeems with (keep it private).
    pub device_code: String,
    /// Short code the person confirms in the browser, `XXXX-XXXX`.
    pub user_code: String,
    /// Page where a signed-in person approves.
    pub verification_uri: String,
    /// The same page with the code filled in.
    pub verification_uri_complete: String,
    /// Seconds until the grant expires.
    pub expires_in: i64,
    /// Seconds to wait between redeem attempts.
    pub interval: i64,
}

/// Body of a redeem.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemRequest {
    /// The `device_code` from start.
    pub device_code: String,
}

/// A redeemed grant: a bearer token of a new `cli` session.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedToken {
    /// Bearer token for `Authorization: Bearer …`. Shown once.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Public id of the new session (as listed by `GET /api/v1/auth/sessions`).
    pub session_id: String,
    /// RFC 3339 absolute expiry.
    pub expires_at: String,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &"<redacted>")
            .field("session_id", &self.session_id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}
