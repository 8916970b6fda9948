//! Requests of two-step sign-in as a JSON client: the password step's pending token and the code
//! that completes it.

use super::{LoginRequest, TestApp};
use active_sessions_api::paths::pages;
use reqwest::{Method, Response, header};
use serde_json::Value;

impl TestApp {
    /// The password step of `email` (an account with two-step sign-in) as a JSON client: the
    /// pending sign-in's token from the 401 `second_step_required` body.
    pub async fn pending_sign_in(&self, email: &str) -> String {
        let response = self.login_as(LoginRequest::new(email)).await;
        let body: Value = response.json().await.expect("JSON body");
        assert_eq!(body["error"]["code"], "second_step_required", "{body}");
        body["error"]["details"]["pending"]
            .as_str()
            .expect("pending token")
            .to_owned()
    }

    /// `POST /login/code` as a JSON client: the pending token and a code.
    pub async fn send_code(&self, pending: &str, code: &str) -> Response {
        self.request(Method::POST, pages::LOGIN_CODE)
            .header(header::ACCEPT, "application/json")
            .form(&[("pending", pending), ("code", code)])
            .send()
            .await
            .expect("code request")
    }
}
