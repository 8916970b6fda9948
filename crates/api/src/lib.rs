//! The JSON API's types, defined once: the server serialises them, its OpenAPI document describes
//! them (feature `openapi`), and the CLI and the tests deserialise them. Field names and values
//! are contracts (`spec/session-summary.schema.json` for [`SessionSummary`]).

mod error;
mod grants;
mod passkeys;
mod sessions;
pub mod words;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, SecondStepDetails};
pub use grants::{IssuedToken, RedeemRequest, StartedGrant};
pub use passkeys::{
    CeremonyStarted, PasskeyAdded, PasskeyFinishRequest, PasskeySignedIn, PasskeyStartRequest,
    RemovePasskeyRequest,
};
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
    /// `POST`: ends every session that signed in without two-step.
    pub const REVOKE_WEAK: &str = "/api/v1/auth/sessions/revoke-weak";
    /// `POST`: start adding a passkey to the caller's account (step-up first).
    pub const PASSKEY_REGISTER_START: &str = "/api/v1/auth/passkeys/register/start";
    /// `POST`: finish adding a passkey with the browser's credential.
    pub const PASSKEY_REGISTER_FINISH: &str = "/api/v1/auth/passkeys/register/finish";
    /// `POST`: start signing in with a passkey (no email: a discoverable credential).
    pub const PASSKEY_LOGIN_START: &str = "/api/v1/auth/passkeys/login/start";
    /// `POST`: finish signing in with a passkey: the session cookie.
    pub const PASSKEY_LOGIN_FINISH: &str = "/api/v1/auth/passkeys/login/finish";
    /// `POST`: start proving one of the account's passkeys on this session (step-up).
    pub const PASSKEY_STEP_UP_START: &str = "/api/v1/auth/passkeys/step-up/start";
    /// `POST`: finish the passkey step-up.
    pub const PASSKEY_STEP_UP_FINISH: &str = "/api/v1/auth/passkeys/step-up/finish";
    /// `POST`: remove one of the caller's passkeys (step-up first).
    pub const PASSKEY_REMOVE: &str = "/api/v1/auth/passkeys/remove";
    /// `POST`: start a CLI sign-in grant.
    pub const CLI_START: &str = "/api/v1/auth/cli/start";
    /// `POST`: redeem an approved grant.
    pub const CLI_REDEEM: &str = "/api/v1/auth/cli/redeem";

    /// `GET`: 200 while the database answers, 503 otherwise.
    pub const HEALTHZ: &str = "/healthz";

    /// `GET` / `PATCH` (rename) / `DELETE` of one session; `id` must already be URL-safe (public ids are base64url).
    pub fn session(id: &str) -> String {
        format!("{SESSIONS}/{id}")
    }

    /// The pages a browser opens and the form posts around them (HTML, not the JSON API).
    pub mod pages {
        /// `GET`: redirects to [`SESSIONS`] when signed in, to [`LOGIN`] otherwise.
        pub const ROOT: &str = "/";
        /// `GET`: the login page; `POST`: sign in (a form, or JSON with `Accept: application/json`).
        pub const LOGIN: &str = "/login";
        /// `POST`: the second step of a sign-in (form fields `code`, and `pending` for clients
        /// without the pending cookie).
        pub const LOGIN_CODE: &str = "/login/code";
        /// `POST` (JSON, as `…/passkeys/login/finish`): finish a passkey sign-in from the login
        /// page, where the pending sign-in's cookie (`Path=/login`) comes along and is taken.
        pub const LOGIN_PASSKEY: &str = "/login/passkey";
        /// `POST`: the development sign-in, only when `DEV_LOGIN` is on.
        pub const LOGIN_DEV: &str = "/login/dev";
        /// `POST`: sign out this browser.
        pub const LOGOUT: &str = "/logout";
        /// `GET`: the sessions page.
        pub const SESSIONS: &str = "/settings/sessions";
        /// `GET`: the password page.
        pub const PASSWORD: &str = "/settings/password";
        /// `GET`: the two-step sign-in page (`?setup=…` during a set-up, `?codes=…` once).
        pub const SECURITY: &str = "/settings/security";
        /// `GET`: the page that approves a CLI sign-in (`?code=…`).
        pub const CLI_APPROVE: &str = "/cli/approve";
        /// `GET`: the "This wasn't me" page of a sign-in alert, followed by the link's token.
        pub const NOT_ME: &str = "/not-me/";

        /// The "This wasn't me" page for `token` (URL-safe: tokens are base64url).
        pub fn not_me(token: &str) -> String {
            format!("{NOT_ME}{token}")
        }

        /// The CLI approval page for `code`.
        pub fn cli_approve(code: &str) -> String {
            format!("{CLI_APPROVE}?code={code}")
        }
    }

    /// The server functions the pages call (form-encoded `POST`s, `GET` where noted). Each must
    /// match its `#[server(prefix, endpoint)]` in the server crate (a test checks).
    pub mod server_fns {
        /// `GET`: what the login page offers.
        pub const LOGIN_OPTIONS: &str = "/api/auth/login_options";
        /// Change the password (ends the other sessions).
        pub const CHANGE_PASSWORD: &str = "/api/auth/change_password";
        /// `GET`: one CLI grant for the approval page.
        pub const CLI_GRANT: &str = "/api/cli/grant";
        /// Approve or deny a CLI grant.
        pub const CLI_DECIDE: &str = "/api/cli/decide";
        /// The sessions page's list.
        pub const SESSIONS_LIST: &str = "/api/sessions/list";
        /// The sessions page's ended list.
        pub const SESSIONS_ENDED: &str = "/api/sessions/ended";
        /// End one session (also "Not you?").
        pub const REVOKE: &str = "/api/sessions/revoke";
        /// Rename one session.
        pub const RENAME: &str = "/api/sessions/rename";
        /// End every other session.
        pub const REVOKE_OTHERS: &str = "/api/sessions/revoke_others";
        /// End the sessions unused for a while.
        pub const SIGN_OUT_UNUSED: &str = "/api/sessions/sign_out_unused";
        /// End the sessions that signed in without two-step.
        pub const SIGN_OUT_WEAK: &str = "/api/sessions/sign_out_weak";
        /// `GET`: what the two-step sign-in page shows.
        pub const SECURITY_OVERVIEW: &str = "/api/security/overview";
        /// "Set up authenticator app".
        pub const BEGIN_TOTP_SETUP: &str = "/api/security/begin_totp_setup";
        /// "Turn on" (the code from the app).
        pub const TURN_ON_TOTP: &str = "/api/security/turn_on_totp";
        /// "Regenerate recovery codes".
        pub const REGENERATE_RECOVERY_CODES: &str = "/api/security/regenerate_recovery_codes";
        /// "Turn off" the authenticator app (step-up first; `sign_out_others=true` ends the others).
        pub const TURN_OFF_TOTP: &str = "/api/security/turn_off_totp";
        /// "Remove" a passkey (step-up with a passkey first; `sign_out_others=true` ends the others).
        pub const REMOVE_PASSKEY: &str = "/api/security/remove_passkey";
        /// What a "This wasn't me" link names.
        pub const NOT_ME_VIEW: &str = "/api/not-me/view";
        /// "Sign out that device" on the not-me page.
        pub const NOT_ME_SIGN_OUT: &str = "/api/not-me/sign_out";
    }
}
