//! Requests the tests make over and over: login, list, revoke, the CLI grant steps.

use super::{Login, PASSWORD, TestApp, session_cookie};
use reqwest::{Method, Response, StatusCode, header};
use serde_json::Value;

impl TestApp {
    /// `GET /not-me/{token}`: the status and the page's HTML.
    pub async fn not_me_page(&self, token: &str) -> (StatusCode, String) {
        let response = self
            .request(Method::GET, &format!("/not-me/{token}"))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Presses `Sign out that device` on a not-me page as a form post without JavaScript.
    pub async fn sign_out_that_device(&self, token: &str) -> Response {
        self.request(Method::POST, "/api/not-me/sign_out")
            .header(header::ORIGIN, &self.base)
            .header(header::ACCEPT, "text/html")
            .form(&[("token", token)])
            .send()
            .await
            .unwrap()
    }

    /// `POST /login` for `email` as a JSON client from `ip` (as forwarded by a trusted proxy),
    /// with an optional `device` cookie; the raw response.
    pub async fn login_via_proxy(
        &self,
        email: &str,
        ip: &str,
        device: Option<&str>,
        password: &str,
    ) -> Response {
        let mut request = self
            .request(Method::POST, "/login")
            .header(header::ACCEPT, "application/json")
            .header("x-forwarded-for", ip);
        if let Some(device) = device {
            request = request.header(header::COOKIE, format!("device={device}"));
        }
        request
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    /// `POST /login` as a JSON client; the raw response.
    pub async fn login_response(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/login")
            .header(header::ACCEPT, "application/json")
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("login request")
    }

    /// Logs in with the test password; returns the session token (cookie value).
    pub async fn login(&self, email: &str) -> String {
        self.login_full(email).await.token
    }

    /// Logs in; returns token and public id.
    pub async fn login_full(&self, email: &str) -> Login {
        let response = self.login_response(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email} failed");
        self.login_of(response).await
    }

    /// `POST /login` as a JSON client from a browser with this `User-Agent`, carrying its
    /// `device` cookie when given; asserts 200 and returns the response.
    pub async fn login_from(
        &self,
        email: &str,
        user_agent: &str,
        device: Option<&str>,
    ) -> Response {
        let mut request = self
            .request(Method::POST, "/login")
            .header(header::ACCEPT, "application/json")
            .header(header::USER_AGENT, user_agent)
            .form(&[("email", email), ("password", PASSWORD)]);
        if let Some(device) = device {
            request = request.header(header::COOKIE, format!("device={device}"));
        }
        let response = request.send().await.expect("login request");
        assert_eq!(response.status(), StatusCode::OK, "login of {email} failed");
        response
    }

    /// [`login_from`](Self::login_from) without a device cookie; returns token and public id.
    pub async fn login_full_from(&self, email: &str, user_agent: &str) -> Login {
        let response = self.login_from(email, user_agent, None).await;
        self.login_of(response).await
    }

    /// The session a successful login response started.
    pub async fn login_of(&self, response: Response) -> Login {
        let token =
            session_cookie(&response, self.cookie_name()).expect("login sets the session cookie");
        let body: Value = response.json().await.expect("login JSON");
        let public_id = body["id"]
            .as_str()
            .expect("login returns the public id")
            .to_owned();
        Login { token, public_id }
    }

    /// `GET path` with the session cookie, as a browser navigating by address bar or bookmark
    /// (`Sec-Fetch-Site: none`).
    pub async fn get_with_cookie(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path)
            .header(header::COOKIE, self.cookie(token))
            .header("sec-fetch-site", "none")
            .send()
            .await
            .expect("request")
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
        self.get_with_cookie("/api/v1/auth/sessions", token).await
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

    /// Status of the list for a bearer token.
    pub async fn bearer_status(&self, token: &str) -> StatusCode {
        self.request(Method::GET, "/api/v1/auth/sessions")
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
            .status()
    }

    /// `DELETE /api/v1/auth/sessions/{id}` (id inserted as given) with the cookie.
    pub async fn delete_session(&self, token: &str, id: &str) -> Response {
        self.request(Method::DELETE, &format!("/api/v1/auth/sessions/{id}"))
            .header(header::COOKIE, self.cookie(token))
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

    /// `POST /api/v1/auth/cli/start`.
    pub async fn start_grant(&self) -> Value {
        let response = self
            .request(Method::POST, "/api/v1/auth/cli/start")
            .header(
                header::USER_AGENT,
                "active-sessions-cli/0.1.0 (linux; x86_64)",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "grant start");
        response.json().await.unwrap()
    }

    /// `GET /healthz`: its status.
    pub async fn healthz(&self) -> StatusCode {
        let response = self.request(Method::GET, "/healthz").send().await;
        response.unwrap().status()
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
        self.request(Method::POST, "/api/cli/decide")
            .header(header::COOKIE, self.cookie(token))
            .header(header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// `POST /api/v1/auth/cli/redeem`.
    pub async fn redeem(&self, device_code: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/cli/redeem")
            .json(&serde_json::json!({ "device_code": device_code }))
            .send()
            .await
            .unwrap()
    }
}
