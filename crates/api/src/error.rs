//! The one error shape of the API: `{"error": {"code", "message", "retry_after"?}}`.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes (the `code` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// No valid session: 401.
    Unauthenticated,
    /// Wrong email or password: 401.
    InvalidCredentials,
    /// Cross-site or otherwise refused: 403.
    Forbidden,
    /// Confirm the password first: 403.
    ReauthRequired,
    /// The account has a second factor: confirm the password and prove that factor (`method`,
    /// e.g. `totp`: the field `code`) first: 403.
    StepUpRequired,
    /// Unknown, foreign or already ended: 404.
    NotFound,
    /// Ending the session in use needs `confirm_current=true`: 409.
    ConfirmationRequired,
    /// The input was not acceptable: 400.
    InvalidInput,
    /// Too many attempts: 429 with `Retry-After`.
    RateLimited,
    /// CLI grant not approved yet: 400.
    AuthorizationPending,
    /// CLI grant denied: 400.
    AccessDenied,
    /// CLI grant expired: 400.
    ExpiredToken,
    /// Unknown or used device code: 400.
    InvalidGrant,
    /// Database unavailable: 503.
    Unavailable,
    /// The password was right and the account has two-step sign-in: send a code to finish
    /// (`details` says how): 401.
    SecondStepRequired,
    /// The authenticator or recovery code was wrong, used before or expired: 401.
    InvalidCode,
    /// Unexpected failure: 500.
    Internal,
    /// The request did not reach the server (client side only).
    Transport,
    /// A code this client does not know yet (newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The wire form, e.g. `not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden => "forbidden",
            Self::ReauthRequired => "reauth_required",
            Self::StepUpRequired => "step_up_required",
            Self::NotFound => "not_found",
            Self::ConfirmationRequired => "confirmation_required",
            Self::InvalidInput => "invalid_input",
            Self::RateLimited => "rate_limited",
            Self::AuthorizationPending => "authorization_pending",
            Self::AccessDenied => "access_denied",
            Self::ExpiredToken => "expired_token",
            Self::InvalidGrant => "invalid_grant",
            Self::Unavailable => "unavailable",
            Self::SecondStepRequired => "second_step_required",
            Self::InvalidCode => "invalid_code",
            Self::Internal => "internal",
            Self::Transport => "transport",
            Self::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every API error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and human-readable message of an API error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Machine-readable code, e.g. `not_found`, `unauthenticated`, `confirmation_required`.
    pub code: ErrorCode,
    /// A sentence for people.
    pub message: String,
    /// Seconds to wait, for `rate_limited`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// How to finish signing in, for `second_step_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<SecondStepDetails>,
    /// The factor to prove, for `step_up_required`: `totp` (send the password and the field
    /// `code` with a code from the authenticator app; a recovery code does not count) or
    /// `webauthn` (prove a passkey with `POST /api/v1/auth/passkeys/step-up/start` and `…/finish`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

/// How a client finishes a sign-in whose password was right: `POST` the `pending` token and a
/// code to the `complete` endpoint within five minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondStepDetails {
    /// The pending sign-in (single use, five minutes); send it as the form field `pending`.
    pub pending: String,
    /// What can finish it, from the account's factors: `totp` (a code from the authenticator
    /// app), `webauthn` (a passkey of the account: it signs in on its own through
    /// `POST /api/v1/auth/passkeys/login/start` and `/login/finish`) and `recovery_code` (while
    /// one is left).
    pub methods: Vec<String>,
    /// Where to send it: `POST /login/code` with the form fields `pending` and `code`.
    pub complete: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_tolerated() {
        let json =
            r#"{"error":{"code":"rate_limited","message":"Too many attempts.","retry_after":3}}"#;
        let body: ErrorBody = serde_json::from_str(json).unwrap();
        assert_eq!(body.error.code, ErrorCode::RateLimited);
        assert_eq!(body.error.retry_after, Some(3));
        assert_eq!(serde_json::to_string(&body).unwrap(), json);
        let newer: ErrorCode = serde_json::from_str(r#""some_future_code""#).unwrap();
        assert_eq!(newer, ErrorCode::Unknown);
        for code in [ErrorCode::NotFound, ErrorCode::ConfirmationRequired] {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{code}\""));
        }
    }
}
