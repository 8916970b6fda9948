//! A failed API call, shown with the server's message and code.

use active_sessions_api::{ErrorBody, ErrorCode, ErrorDetail};
use reqwest::StatusCode;
use std::fmt;

/// A failed call: the server's error (code and message), or a transport failure.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status, when the server answered.
    pub status: Option<StatusCode>,
    /// Code and message; `transport` when the server could not be reached.
    pub detail: ErrorDetail,
}

impl ApiError {
    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.detail.code
    }

    /// An answer this client cannot use (a redirect, a body of the wrong shape).
    pub fn unexpected(status: StatusCode, message: String) -> Self {
        Self {
            status: Some(status),
            detail: ErrorDetail {
                code: ErrorCode::Unknown,
                message,
                retry_after: None,
                details: None,
                method: None,
            },
        }
    }

    /// An error found on this side (no HTTP status).
    pub fn local(code: ErrorCode, message: String) -> Self {
        Self {
            status: None,
            detail: ErrorDetail {
                code,
                message,
                retry_after: None,
                details: None,
                method: None,
            },
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ErrorDetail { code, message, .. } = &self.detail;
        match self.status {
            None => write!(f, "{message}"),
            Some(status) => {
                write!(f, "{message} (HTTP {}, {code})", status.as_u16())?;
                if *code == ErrorCode::Unauthenticated {
                    write!(
                        f,
                        ": your CLI session has ended; run `active-sessions-cli login` again"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl From<ApiError> for String {
    fn from(error: ApiError) -> Self {
        error.to_string()
    }
}

/// The error of an error answer; one that is not an [`ErrorBody`] (a proxy's page, say) becomes
/// an `unknown` "unexpected answer".
pub fn error_detail(body: &[u8]) -> ErrorDetail {
    serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_else(|_| ErrorDetail {
            code: ErrorCode::Unknown,
            message: "unexpected answer".into(),
            retry_after: None,
            details: None,
            method: None,
        })
}

/// `error: cause: cause…` (reqwest's own message leaves out why the request failed).
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_show_message_and_code() {
        let body = br#"{"error":{"code":"not_found","message":"No such session."}}"#;
        let error = ApiError {
            status: Some(StatusCode::NOT_FOUND),
            detail: error_detail(body),
        };
        assert_eq!(error.to_string(), "No such session. (HTTP 404, not_found)");

        let body = br#"{"error":{"code":"unauthenticated","message":"Sign in first."}}"#;
        let error = ApiError {
            status: Some(StatusCode::UNAUTHORIZED),
            detail: error_detail(body),
        };
        let text = error.to_string();
        assert!(text.starts_with("Sign in first. (HTTP 401, unauthenticated)"));
        assert!(text.contains("CLI session has ended") && text.contains("login"));

        let error = ApiError {
            status: Some(StatusCode::BAD_GATEWAY),
            detail: error_detail(b"<html>bad gateway</html>"),
        };
        assert_eq!(error.to_string(), "unexpected answer (HTTP 502, unknown)");
    }
}
