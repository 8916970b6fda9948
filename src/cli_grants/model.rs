//! What the approval page shows about a pending grant.

use serde::{Deserialize, Serialize};

/// State of a grant as the approver sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    /// Waiting for approve or deny.
    Pending,
    /// Approved (maybe already redeemed).
    Approved,
    /// Denied.
    Denied,
}

/// A grant, for the approval page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    /// The user code, `XXXX-XXXX`.
    pub user_code: String,
    /// Human name of the requesting client.
    pub client_name: String,
    /// Its raw user agent.
    pub user_agent: Option<String>,
    /// Its IP.
    pub ip: Option<String>,
    /// Country of that IP.
    pub country: Option<String>,
    /// When it was requested (RFC 3339).
    pub requested_at: String,
    /// Unix time of the request.
    pub requested_at_unix: i64,
    /// Unix time it expires.
    pub expires_at_unix: i64,
    /// Where it stands.
    pub status: GrantStatus,
    /// Server time of the answer.
    pub now: i64,
    /// Approving needs the password first (the last sign-in is older than the re-auth window).
    pub reauth_required: bool,
    /// The account has an authenticator app: approving needs a code from it too (step-up).
    pub code_required: bool,
    /// The account has a passkey: approving needs it proved lately instead (step-up).
    #[serde(default)]
    pub passkey_required: bool,
}
