//! The JSON API calls, with typed answers and [`ApiError`]s.
//!
//! A [`Client`] talks to one [`Server`]. A token can only be attached through
//! [`Client::signed_in`], which takes the server from the saved credentials themselves, so a
//! token never goes anywhere but the server that issued it. Redirects are not followed (the API
//! never redirects; following one could carry the token elsewhere).

use crate::credentials::Credentials;
use crate::error::{ApiError, error_detail, with_causes};
use crate::server::{self, Server};
use active_sessions_api::{
    EndedSession, ErrorCode, IssuedToken, RedeemRequest, RenameRequest, SessionDetail,
    StartedGrant, paths,
};
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// `active-sessions-cli/VERSION (OS; ARCH)`: the server recognises its own CLI by this.
pub fn user_agent() -> String {
    format!(
        "active-sessions-cli/{} ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// HTTP client for one server, with or without a bearer token.
pub struct Client {
    http: reqwest::Client,
    server: Server,
    token: Option<String>,
}

impl Client {
    /// For the calls that need no token (the sign-in grant).
    pub fn anonymous(server: Server) -> Result<Self, String> {
        Ok(Self {
            http: http()?,
            server,
            token: None,
        })
    }

    /// For calls with the saved token, to the server that issued it. Fails without sending
    /// anything if `requested` (from `--server` or the environment) is another server.
    pub fn signed_in(saved: &Credentials, requested: Option<&Server>) -> Result<Self, String> {
        Ok(Self {
            http: http()?,
            server: server::bound(&saved.server, requested)?,
            token: Some(saved.token.clone()),
        })
    }

    /// The server this client talks to.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// `POST /api/v1/auth/cli/start`.
    pub async fn start_grant(&self) -> Result<StartedGrant, ApiError> {
        let request = self.http.post(self.server.endpoint(paths::CLI_START));
        json(self.send(request).await?).await
    }

    /// `POST /api/v1/auth/cli/redeem`.
    pub async fn redeem(&self, device_code: &str) -> Result<IssuedToken, ApiError> {
        let body = RedeemRequest {
            device_code: device_code.to_owned(),
        };
        let request = self
            .http
            .post(self.server.endpoint(paths::CLI_REDEEM))
            .json(&body);
        json(self.send(request).await?).await
    }

    /// `GET /api/v1/auth/sessions/details`: every live session with what the page shows.
    pub async fn sessions(&self) -> Result<Vec<SessionDetail>, ApiError> {
        let request = self.http.get(self.server.endpoint(paths::SESSIONS_DETAILS));
        json(self.send(request).await?).await
    }

    /// `GET /api/v1/auth/sessions/ended`.
    pub async fn ended(&self) -> Result<Vec<EndedSession>, ApiError> {
        let request = self.http.get(self.server.endpoint(paths::SESSIONS_ENDED));
        json(self.send(request).await?).await
    }

    /// `PATCH /api/v1/auth/sessions/{id}` with `{"label": …}` (`None` removes the name).
    pub async fn rename(&self, id: &str, label: Option<&str>) -> Result<SessionDetail, ApiError> {
        let url = self.server.endpoint(&paths::session(&encode_segment(id)));
        let body = RenameRequest {
            label: label.map(str::to_owned),
        };
        json(self.send(self.http.patch(url).json(&body)).await?).await
    }

    /// `DELETE /api/v1/auth/sessions/{id}[?confirm_current=true]`.
    pub async fn revoke(&self, id: &str, confirm_current: bool) -> Result<(), ApiError> {
        let mut url = self.server.endpoint(&paths::session(&encode_segment(id)));
        if confirm_current {
            url.query_pairs_mut().append_pair("confirm_current", "true");
        }
        self.send(self.http.delete(url)).await.map(drop)
    }

    /// `POST /api/v1/auth/sessions/revoke-weak[?confirm_current=true]`.
    pub async fn revoke_weak(&self, confirm_current: bool) -> Result<(), ApiError> {
        let mut url = self.server.endpoint(paths::REVOKE_WEAK);
        if confirm_current {
            url.query_pairs_mut().append_pair("confirm_current", "true");
        }
        self.send(self.http.post(url)).await.map(drop)
    }

    /// Sends, with the token if any; a non-2xx answer becomes an [`ApiError`].
    async fn send(&self, request: RequestBuilder) -> Result<Response, ApiError> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.map_err(|e| {
            ApiError::local(
                ErrorCode::Transport,
                format!("cannot reach {}: {}", self.server, with_causes(&e)),
            )
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status.is_redirection() {
            let to = self
                .server
                .redirect_hint(response.headers().get(reqwest::header::LOCATION));
            return Err(ApiError::unexpected(
                status,
                format!(
                    "{} redirected{to}; not following it (is --server the right URL?)",
                    self.server
                ),
            ));
        }
        let bytes = response.bytes().await.unwrap_or_default();
        Err(ApiError {
            status: Some(status),
            detail: error_detail(&bytes),
        })
    }
}

fn http() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .user_agent(user_agent())
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot set up HTTP: {e}"))
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response.json().await.map_err(|e| {
        ApiError::unexpected(status, format!("unexpected answer from the server: {e}"))
    })
}

/// Percent-encodes everything but `A-Z a-z 0-9 - _` (public ids are base64url already).
fn encode_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_keeps_the_format_the_server_parses() {
        let ua = user_agent();
        let rest = ua.strip_prefix("active-sessions-cli/").unwrap();
        let (version, platform) = rest.split_once(' ').unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
        let expected = format!("({}; {})", std::env::consts::OS, std::env::consts::ARCH);
        assert_eq!(platform, expected);
    }

    #[test]
    fn ids_are_encoded_as_one_path_segment() {
        assert_eq!(encode_segment("aZ09-_"), "aZ09-_");
        assert_eq!(encode_segment("../x?y"), "%2E%2E%2Fx%3Fy");
    }

    #[test]
    fn a_token_is_only_attached_for_its_own_server() {
        let saved = Credentials {
            server: "http://127.0.0.1:3000".into(),
            token: "secret".into(),
            session_id: "id".into(),
        };
        let other = Server::parse("http://localhost:3000").unwrap();
        let err = Client::signed_in(&saved, Some(&other)).err().unwrap();
        assert!(err.starts_with("you are logged in to http://127.0.0.1:3000, not "));
        let same = Server::parse("http://127.0.0.1:3000/").unwrap();
        let client = Client::signed_in(&saved, Some(&same)).unwrap();
        assert_eq!(client.server(), &same);
    }
}
