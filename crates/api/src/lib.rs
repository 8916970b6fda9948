//! The JSON API's types, defined once: the server serialises them, its OpenAPI document describes
//! them (feature `openapi`), and the CLI and the tests deserialise them. Field names and values
//! are contracts (`spec/session-summary.schema.json` for [`SessionSummary`]).

mod error;
mod grants;
mod sessions;
pub mod words;

pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use grants::{IssuedToken, RedeemRequest, StartedGrant};
pub use sessions::{
    ClientInfo, Country, DeviceType, EndedReason, EndedSession, LoginResponse, RenameRequest,
    RevokeOthersRequest, SessionDetail, SessionKind, SessionSummary,
};

/// Paths of the API, relative to the server's base URL.
pub mod paths {
    /// `GET`: the caller's live sessions.
    pub const SESSIONS: &str = "/api/v1/auth/sessions";
    /// `GET`: the caller's live sessions with every detail (what the page shows), one request.
    pub const SESSIONS_DETAILS: &str = "/api/v1/auth/sessions/details";
    /// `GET`: the caller's sessions that ended in the last 30 days.
    pub const SESSIONS_ENDED: &str = "/api/v1/auth/sessions/ended";
    /// `POST`: end every other session of the caller.
    pub const REVOKE_OTHERS: &str = "/api/v1/auth/sessions/revoke-others";
    /// `POST`: start a CLI sign-in grant.
    pub const CLI_START: &str = "/api/v1/auth/cli/start";
    /// `POST`: redeem an approved grant.
    pub const CLI_REDEEM: &str = "/api/v1/auth/cli/redeem";

    /// `GET` / `PATCH` (rename) / `DELETE` of one session; `id` must already be URL-safe (public ids are base64url).
    pub fn session(id: &str) -> String {
        format!("{SESSIONS}/{id}")
    }
}
