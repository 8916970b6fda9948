//! One error type for the whole app: returned by server functions (it implements Leptos 0.8's
//! `FromServerFnError`), by the JSON API (`IntoResponse`, one documented shape with a
//! machine-readable `code`) and shown by the pages. A server-side failure keeps its cause
//! ([`Cause`]); the cause is logged once, where the error leaves the server ([`AppError::log`]),
//! and clients only learn what they may know (SEC-25).

mod cause;
#[cfg(feature = "ssr")]
mod json;
mod method;
mod words;

pub use active_sessions_api::{ErrorBody, ErrorCode, ErrorDetail, SecondStepDetails};
pub use cause::Cause;
#[cfg(feature = "ssr")]
pub use json::{AppJson, JsonBody};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Everything that can go wrong in a request, as the client may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// No valid session (missing, malformed, expired, idle or revoked): 401.
    #[error("Your session has ended. Sign in to continue.")]
    Unauthenticated,
    /// Wrong email or password (never says which): 401.
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    /// A cross-site or otherwise refused request: 403.
    #[error("This request was refused.")]
    Forbidden,
    /// The action needs a recent sign-in; confirm the password first: 403.
    #[error("Confirm your password to continue.")]
    ReauthRequired,
    /// The action needs a recent proof of the account's strongest factor: the password and a
    /// code from the authenticator app (never a recovery code): 403.
    #[error("Confirm your password and enter a code from your authenticator app to continue.")]
    StepUpRequired,
    /// The action needs a recent proof of the account's passkey (its strongest factor): 403.
    #[error("Confirm with your passkey to continue.")]
    StepUpPasskey,
    /// A passkey was refused (unknown, bad signature, no user verification): 401.
    #[error("That passkey was not accepted. Try again, or use another way to sign in.")]
    PasskeyRejected,
    /// Unknown id, another user's, or already revoked: 404.
    #[error("No such session.")]
    NotFound,
    /// Revoking the session in use needs an explicit confirmation: 409.
    #[error("This is the session you are using. Confirm to sign out here.")]
    ConfirmationRequired,
    /// The input was not acceptable; the message says why: 400.
    #[error("{message}")]
    InvalidInput {
        /// What to fix.
        message: String,
    },
    /// Too many attempts: 429 with `Retry-After`.
    #[error("Too many attempts. Try again in {retry_after} seconds.")]
    RateLimited {
        /// Seconds until a new attempt is allowed.
        retry_after: u64,
    },
    /// CLI grant not approved yet; keep polling: 400 (RFC 8628 `authorization_pending`).
    #[error("Waiting for the sign-in to be approved in the browser.")]
    AuthorizationPending,
    /// The user denied the CLI grant: 400.
    #[error("The sign-in request was denied.")]
    AccessDenied,
    /// The CLI grant expired before it was approved and redeemed: 400.
    #[error("The sign-in request expired. Start again.")]
    ExpiredToken,
    /// Unknown or already used device code: 400.
    #[error("Unknown or already used sign-in request.")]
    InvalidGrant,
    /// The password was right and the account has two-step sign-in: no session yet; finish with
    /// a code and the `pending` token (`POST /login/code`): 401.
    #[error("{}", words::second_step(methods))]
    SecondStepRequired {
        /// The pending sign-in's token (single use, five minutes).
        pending: String,
        /// What can finish it (`totp`, `webauthn`, `recovery_code`), from the account's factors.
        methods: Vec<String>,
    },
    /// The authenticator or recovery code was wrong, or used before: 401. `app_only` where only
    /// a code from the app counts (step-up, turning the app on): the message then does not send
    /// the person to their recovery codes.
    #[error("{}", words::invalid_code(*app_only))]
    InvalidCode {
        /// Only a code from the authenticator app is accepted here.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        app_only: bool,
    },
    /// The database is unreachable or overloaded: 503.
    #[error("The service is temporarily unavailable. Try again shortly.")]
    Unavailable {
        /// What was unavailable (server side only).
        #[serde(skip)]
        #[source]
        cause: Option<Cause>,
    },
    /// A bug or unexpected failure; details are in the server log: 500.
    #[error("Something went wrong on our side. Try again.")]
    Internal {
        /// What failed (server side only).
        #[serde(skip)]
        #[source]
        cause: Option<Cause>,
    },
    /// The request never reached the server or its answer could not be read (browser side).
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport,
}

impl AppError {
    /// Stable machine-readable code (the `code` field of JSON errors).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::ReauthRequired => ErrorCode::ReauthRequired,
            Self::StepUpRequired | Self::StepUpPasskey => ErrorCode::StepUpRequired,
            Self::PasskeyRejected => ErrorCode::InvalidCredentials,
            Self::NotFound => ErrorCode::NotFound,
            Self::ConfirmationRequired => ErrorCode::ConfirmationRequired,
            Self::InvalidInput { .. } => ErrorCode::InvalidInput,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::AuthorizationPending => ErrorCode::AuthorizationPending,
            Self::AccessDenied => ErrorCode::AccessDenied,
            Self::ExpiredToken => ErrorCode::ExpiredToken,
            Self::InvalidGrant => ErrorCode::InvalidGrant,
            Self::SecondStepRequired { .. } => ErrorCode::SecondStepRequired,
            Self::InvalidCode { .. } => ErrorCode::InvalidCode,
            Self::Unavailable { .. } => ErrorCode::Unavailable,
            Self::Internal { .. } => ErrorCode::Internal,
            Self::Transport => ErrorCode::Transport,
        }
    }

    /// HTTP status of this error.
    #[cfg(feature = "ssr")]
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            Self::Unauthenticated
            | Self::InvalidCredentials
            | Self::SecondStepRequired { .. }
            | Self::InvalidCode { .. }
            | Self::PasskeyRejected => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::ReauthRequired => StatusCode::FORBIDDEN,
            Self::StepUpRequired | Self::StepUpPasskey => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::ConfirmationRequired => StatusCode::CONFLICT,
            Self::InvalidInput { .. }
            | Self::AuthorizationPending
            | Self::AccessDenied
            | Self::ExpiredToken
            | Self::InvalidGrant => StatusCode::BAD_REQUEST,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal { .. } | Self::Transport => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// [`AppError::Internal`] caused by `cause` (an error, or words for a broken invariant).
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal {
            cause: Some(Cause::new(cause)),
        }
    }

    /// [`AppError::Unavailable`] caused by `cause`.
    pub fn unavailable(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Unavailable {
            cause: Some(Cause::new(cause)),
        }
    }

    /// Logs a server-side failure with its cause, inside the current (request's) span; other
    /// errors are the client's and are not logged. Called once, where the error leaves the
    /// server: [`IntoResponse`](axum::response::IntoResponse), the server functions' wrapper
    /// (`auth::extract`), the login form's redirect and the private pages' guard.
    #[cfg(feature = "ssr")]
    pub fn log(&self) {
        let chain = |cause: &Option<Cause>| cause.as_ref().map_or_else(String::new, Cause::chain);
        match self {
            Self::Unavailable { cause } => {
                tracing::warn!(error = %chain(cause), "unavailable: answering 503");
            }
            Self::Internal { cause } => tracing::error!(error = %chain(cause), "internal error"),
            _ => {}
        }
    }

    /// Shorthand for [`AppError::InvalidInput`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidInput {
            message: message.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::Response(_)
            | ServerFnErrorErr::Deserialization(_) => Self::Transport,
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                Self::InvalidInput { message }
            }
            other => Self::internal(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr;
