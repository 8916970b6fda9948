//! Requests the tests make over and over: login, list, revoke, the CLI grant steps.

use super::{Login, LoginRequest, TestApp, session_cookie};
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, Response, StatusCode, header};
use serde_json::Value;

impl TestApp {
    /// `POST path` with the JSON `body`, `times` requests at once, no cookie: their statuses.
    pub async fn post_json_in_parallel(
        &self,
        path: &str,
        body: &Value,
        times: usize,
    ) -> Vec<StatusCode> {
        let sent: Vec<_> = (0..times)
            .map(|_| {
                let request = self.request(Method::POST, path).json(body);
                tokio::spawn(async move { request.send().await.expect("request").status() })
            })
            .collect();
        let mut statuses = Vec::with_capacity(times);
        for request in sent {
            statuses.push(request.await.expect("request task"));
        }
        statuses
    }

    /// `GET /not-me/{token}`: the status and the page's HTML.
    pub async fn not_me_page(&self, token: &str) -> (StatusCode, String) {
        let response = self
            .request(Method::GET, &pages::not_me(token))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Presses `Sign out that device` on a not-me page as a form post without JavaScript.
    pub async fn sign_out_that_device(&self, token: &str) -> Response {
        self.request(Method::POST, server_fns::NOT_ME_SIGN_OUT)
            .header(header::ORIGIN, &self.base)
            .header(header::ACCEPT, "text/html")
            .form(&[("token", token)])
            .send()
            .await
            .unwrap()
    }

    /// Logs `email` in with the test password; asserts 200 and returns the session.
    pub async fn login(&self, email: &str) -> Login {
        self.login_with(LoginRequest::new(email)).await
    }

    /// Sends `request` as a JSON client (`POST /login`); the raw response.
    pub async fn login_as(&self, request: LoginRequest<'_>) -> Response {
        let mut builder = self
            .request(Method::POST, pages::LOGIN)
            .header(header::ACCEPT, "application/json");
        if let Some(user_agent) = request.user_agent {
            builder = builder.header(header::USER_AGENT, user_agent);
        }
        if let Some(ip) = request.forwarded_for {
            builder = builder.header("x-forwarded-for", ip);
        }
        if let Some(device) = request.device {
            builder = builder.header(header::COOKIE, format!("device={device}"));
        }
        builder
            .form(&[("email", request.email), ("password", request.password)])
            .send()
            .await
            .expect("login request")
    }

    /// Sends `request`; the response's JSON body, whatever its status.
    pub async fn login_body(&self, request: LoginRequest<'_>) -> Value {
        self.login_as(request)
            .await
            .json()
            .await
            .expect("login JSON")
    }

    /// Sends `request`; asserts 200 and returns the session it started.
    pub async fn login_with(&self, request: LoginRequest<'_>) -> Login {
        let email = request.email;
        let response = self.login_as(request).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email} failed");
        self.login_session(response).await
    }

    /// The session a successful login response started (and the device cookie it set, if any).
    pub async fn login_session(&self, response: Response) -> Login {
        let token =
            session_cookie(&response, self.cookie_name()).expect("login sets the session cookie");
        let device = session_cookie(&response, "device");
        let body: Value = response.json().await.expect("login JSON");
        let public_id = body["id"]
            .as_str()
            .expect("login returns the public id")
            .to_owned();
        Login {
            token,
            public_id,
            device,
        }
    }

    /// `GET path` with the session cookie, as a browser navigating by address bar or bookmark
    /// (`Sec-Fetch-Site: none`).
    pub async fn get_with_cookie(&self, path: &str, token: &str) -> Response {
        self.with_cookie(Method::GET, path, token)
            .header("sec-fetch-site", "none")
            .send()
            .await
            .expect("request")
    }

    /// `GET path` with the session cookie: the body as JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        let response = self.get_with_cookie(path, token).await;
        response.json().await.expect("JSON body")
    }

    /// The `details` entry of the caller's own session (`is_current`).
    pub async fn own_details(&self, token: &str) -> Value {
        let all: Vec<Value> = self
            .get_with_cookie(paths::SESSIONS_DETAILS, token)
            .await
            .json()
            .await
            .expect("details JSON");
        all.into_iter()
            .find(|d| d["is_current"] == true)
            .expect("the current session")
    }

    /// `GET path` with the session cookie: the body as text (a page's HTML).
    pub async fn page_text(&self, path: &str, token: &str) -> String {
        self.get_with_cookie(path, token)
            .await
            .text()
            .await
            .expect("response body")
    }

    /// `GET /api/v1/auth/sessions` with the cookie.
    pub async fn list(&self, token: &str) -> Response {
        self.get_with_cookie(paths::SESSIONS, token).await
    }

    /// The list as JSON, asserting 200.
    pub async fn list_json(&self, token: &str) -> Vec<Value> {
        let response = self.list(token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("list JSON")
    }

    /// Status of the list for a cookie token.
    pub async fn status_of(&self, token: &str) -> StatusCode {
        self.list(token).await.status()
    }

    /// `GET /api/v1/auth/sessions` with a bearer token, as the CLI calls it.
    pub async fn bearer_list(&self, token: &str) -> Response {
        self.request(Method::GET, paths::SESSIONS)
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Status of the list for a bearer token.
    pub async fn bearer_status(&self, token: &str) -> StatusCode {
        self.bearer_list(token).await.status()
    }

    /// `GET path` with no cookie and no credentials.
    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request")
    }

    /// A server function called as the page's `fetch` calls it: `POST path` with the cookie,
    /// `Accept: application/json` and `form`.
    pub async fn call(&self, path: &str, token: &str, form: &[(&str, &str)]) -> Response {
        self.with_cookie(Method::POST, path, token)
            .header(header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// `POST /api/v1/auth/sessions/revoke-others` with the cookie and no password.
    pub async fn revoke_others(&self, token: &str) -> Response {
        self.with_cookie(Method::POST, paths::REVOKE_OTHERS, token)
            .send()
            .await
            .expect("request")
    }

    /// `POST /logout` with the cookie as a JSON client (`fetch`).
    pub async fn logout(&self, token: &str) -> Response {
        self.with_cookie(Method::POST, pages::LOGOUT, token)
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .expect("request")
    }

    /// `POST /logout` with the cookie as the HTML form posts it (no JavaScript).
    pub async fn logout_form(&self, token: &str) -> Response {
        self.with_cookie(Method::POST, pages::LOGOUT, token)
            .send()
            .await
            .expect("request")
    }

    /// `DELETE /api/v1/auth/sessions/{id}` (id inserted as given) with the cookie.
    pub async fn delete_session(&self, token: &str, id: &str) -> Response {
        self.with_cookie(Method::DELETE, &paths::session(id), token)
            .send()
            .await
            .expect("request")
    }

    /// Runs a full CLI grant as `approver_token`'s user; returns the issued token JSON.
    pub async fn cli_login(&self, approver_token: &str) -> Value {
        let grant = self.start_grant().await;
        let approve = self
            .decide_grant(approver_token, grant["user_code"].as_str().unwrap(), true)
            .await;
        assert_eq!(approve.status(), StatusCode::OK, "approve");
        let response = self.redeem(grant["device_code"].as_str().unwrap()).await;
        assert_eq!(response.status(), StatusCode::OK, "redeem");
        response.json().await.unwrap()
    }

    /// [`cli_login`](Self::cli_login)'s issued token only.
    pub async fn cli_token(&self, approver_token: &str) -> String {
        let issued = self.cli_login(approver_token).await;
        issued["token"]
            .as_str()
            .expect("an issued token")
            .to_owned()
    }

    /// `POST /api/v1/auth/cli/start` from the CLI; the started grant.
    pub async fn start_grant(&self) -> Value {
        self.start_grant_as("active-sessions-cli/0.1.0 (linux; x86_64)")
            .await
    }

    /// `POST /api/v1/auth/cli/start` from a client that says it is `user_agent`; asserts 200.
    pub async fn start_grant_as(&self, user_agent: &str) -> Value {
        let response = self
            .request(Method::POST, paths::CLI_START)
            .header(header::USER_AGENT, user_agent)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "grant start");
        response.json().await.unwrap()
    }

    /// `GET /login` as a browser asks for it; asserts 200 and returns the HTML.
    pub async fn login_page(&self) -> String {
        let response = self
            .request(Method::GET, pages::LOGIN)
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("HTML")
    }

    /// Asserts that the health check and a page (as `token`) fail closed with 503, as they do
    /// while the database is unreachable.
    pub async fn assert_fails_closed(&self, token: &str) {
        let health = self.get(paths::HEALTHZ).await;
        assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
        let page = self.get_with_cookie(pages::SESSIONS, token).await;
        assert_eq!(
            page.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "pages fail closed too"
        );
    }

    /// `GET /healthz`: its status.
    pub async fn healthz(&self) -> StatusCode {
        self.get(paths::HEALTHZ).await.status()
    }

    /// The approval server function as a `fetch` client would call it.
    pub async fn decide_grant(&self, token: &str, user_code: &str, approve: bool) -> Response {
        self.decide_grant_with(token, user_code, approve, None)
            .await
    }

    /// [`decide_grant`](Self::decide_grant), confirming `password` when given.
    pub async fn decide_grant_with(
        &self,
        token: &str,
        user_code: &str,
        approve: bool,
        password: Option<&str>,
    ) -> Response {
        let mut form = vec![("code", user_code.to_owned())];
        if approve {
            form.push(("approve", "true".to_owned()));
        }
        if let Some(password) = password {
            form.push(("password", password.to_owned()));
        }
        self.with_cookie(Method::POST, server_fns::CLI_DECIDE, token)
            .header(header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// `POST /api/v1/auth/cli/redeem`.
    pub async fn redeem(&self, device_code: &str) -> Response {
        self.request(Method::POST, paths::CLI_REDEEM)
            .json(&serde_json::json!({ "device_code": device_code }))
            .send()
            .await
            .unwrap()
    }
}
