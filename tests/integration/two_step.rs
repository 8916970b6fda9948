//! Two-step sign-in (issue 23) through the real server: the password alone starts nothing on an
//! account with an authenticator app, a wrong code is refused and budgeted, and the session says
//! what it proved (the codes themselves: `two_step_codes`). Enrolment goes through the
//! factors service directly; the settings page's own flow is tested in `security_page`.

use crate::support::*;
use active_sessions::factors::service::{TurnOn, turn_on_totp};
use active_sessions::factors::totp;
use active_sessions::platform::ids::UserId;
use active_sessions_api::paths;
use reqwest::{Method, Response, StatusCode, header};
use serde_json::Value;

/// A base64 `SECRETS_KEY` for the tests (32 bytes).
pub const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// An account with an authenticator app.
pub struct Enrolled {
    pub app: TestApp,
    pub email: &'static str,
    pub user_id: UserId,
    pub secret: Vec<u8>,
    pub recovery: Vec<String>,
}

impl Enrolled {
    /// A server with `SECRETS_KEY` (and `settings`) and an enrolled account; the clock is moved
    /// past the step the enrolment used.
    pub async fn new(settings: &[(&str, &str)]) -> Self {
        Self::spawn(TestOptions::default().settings(settings), "two@example.com").await
    }

    /// The same with `options` (`SECRETS_KEY` added) and the account `email`.
    pub async fn spawn(options: TestOptions, email: &'static str) -> Self {
        let app = TestApp::spawn(options.setting("SECRETS_KEY", KEY)).await;
        let user_id = app.create_user(email).await;
        Self::enrol(app, email, user_id).await
    }

    /// Turns the authenticator app on for the existing account `email` of `app`.
    pub async fn enrol(app: TestApp, email: &'static str, user_id: UserId) -> Self {
        let secret = totp::new_secret();
        let code = totp::code_at(&secret, app.clock_now());
        let turn_on = TurnOn {
            user_id,
            secret: &secret,
            code: &code,
        };
        let recovery = turn_on_totp(&app.state, turn_on).await.expect("turn on");
        app.clock.advance(30);
        Self {
            app,
            email,
            user_id,
            secret,
            recovery,
        }
    }

    /// The authenticator code now.
    pub fn code(&self) -> String {
        totp::code_at(&self.secret, self.app.clock_now())
    }

    /// The password step as a JSON client: asserts 401 `second_step_required`; the pending token.
    pub async fn password_step(&self) -> String {
        let response = self.app.login_as(LoginRequest::new(self.email)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(session_cookie(&response, self.app.cookie_name()).is_none());
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "second_step_required", "{body}");
        let details = &body["error"]["details"];
        // What the account has: the app and its recovery codes, and a passkey when one was added.
        let sql = "SELECT COUNT(*) FROM passkeys WHERE user_id = CAST($1 AS BIGINT)";
        let passkeys = self.app.scalar_i64(sql, &self.user_id.0.to_string()).await;
        let methods = if passkeys == 0 {
            serde_json::json!(["totp", "recovery_code"])
        } else {
            serde_json::json!(["totp", "webauthn", "recovery_code"])
        };
        assert_eq!(details["methods"], methods);
        assert!(
            details["complete"]
                .as_str()
                .unwrap()
                .contains("/login/code")
        );
        details["pending"].as_str().unwrap().to_owned()
    }

    /// `POST /login/code` as a JSON client.
    pub async fn send_code(&self, pending: &str, code: &str) -> Response {
        self.app.send_code(pending, code).await
    }

    pub async fn sessions(&self) -> i64 {
        let sql = "SELECT COUNT(*) FROM sessions WHERE user_id = CAST($1 AS BIGINT)";
        self.app.scalar_i64(sql, &self.user_id.0.to_string()).await
    }

    pub async fn failures(&self) -> i64 {
        let key = format!("account:{}", self.email);
        let limiter = &self.app.state.login_limiter;
        limiter.failures(&key, self.app.clock_now()).await.unwrap()
    }

    /// The details of the caller's own session.
    pub async fn own_details(&self, token: &str) -> Value {
        self.app.own_details(token).await
    }
}

// SEC-49
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_alone_starts_nothing_and_counts_as_a_failure() {
    let two = Enrolled::new(&[]).await;
    let pending = two.password_step().await;
    assert!(!pending.is_empty());
    assert_eq!(two.sessions().await, 0, "no session before the second step");
    assert_eq!(two.failures().await, 1, "the password step is budgeted");

    // A browser gets the pending cookie (HttpOnly, SameSite=Strict) and the code form.
    let response = two
        .app
        .request(Method::POST, "/login")
        .form(&[
            ("email", two.email),
            ("password", PASSWORD),
            ("next", "/settings/password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = header_str(&response, "location").unwrap().to_owned();
    assert_eq!(location, "/login?step=code&next=/settings/password");
    assert!(session_cookie(&response, two.app.cookie_name()).is_none());
    let set = set_cookie_named(&response, "pending").expect("pending cookie");
    let attrs = cookie_attributes(&set);
    assert!(attrs.contains(&("httponly".into(), None)), "{set}");
    assert!(
        attrs.contains(&("samesite".into(), Some("Strict".into()))),
        "{set}"
    );
    assert!(
        attrs.contains(&("max-age".into(), Some("300".into()))),
        "{set}"
    );
    let page = two
        .app
        .request(Method::GET, &location)
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"action="/login/code""#) && page.contains(r#"name="code""#));
    assert_eq!(two.sessions().await, 0);
    assert_eq!(two.failures().await, 2);

    // The browser finishes with its cookie: signed in, redirected to `next`.
    let pending_cookie = session_cookie(&response, "pending").unwrap();
    let response = two
        .app
        .request(Method::POST, "/login/code")
        .header(header::COOKIE, format!("pending={pending_cookie}"))
        .form(&[
            ("code", two.code().as_str()),
            ("next", "/settings/password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header_str(&response, "location"),
        Some("/settings/password")
    );
    let token = session_cookie(&response, two.app.cookie_name()).expect("signed in");
    assert_eq!(two.sessions().await, 1);
    assert_eq!(
        two.failures().await,
        0,
        "completing the sign-in resets the account budget"
    );
    let mine = two.own_details(&token).await;
    assert_eq!(mine["mfa_factors"], serde_json::json!(["password", "totp"]));
    assert!(mine["mfa_updated_at"].as_str().is_some(), "{mine}");
}

// SEC-49
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_code_is_refused_creates_nothing_and_is_budgeted() {
    let two = Enrolled::new(&[]).await;
    let pending = two.password_step().await;
    let right = two.code();
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    for code in [wrong.as_str(), "abcde-fghjk", "", "12345", &"9".repeat(100)] {
        let response = two.send_code(&pending, code).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{code}");
        assert!(session_cookie(&response, two.app.cookie_name()).is_none());
        assert_eq!(error_code(response).await, "invalid_code");
    }
    assert_eq!(two.sessions().await, 0);
    assert!(
        two.failures().await >= 3,
        "wrong codes count like wrong passwords"
    );
    // A browser is sent back to the code form with the error.
    let response = two
        .app
        .request(Method::POST, "/login/code")
        .header(header::COOKIE, format!("pending={pending}"))
        .form(&[("code", wrong.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        header_str(&response, "location"),
        Some("/login?step=code&error=invalid_code")
    );
    // The pending sign-in survives wrong codes until it expires; an unknown one does not exist.
    let response = two.send_code(&pending, &right).await;
    assert_eq!(response.status(), StatusCode::OK);
    let login = two.app.login_session(response).await;
    assert!(!login.public_id.is_empty());
    let response = two.send_code("not-a-pending-token", &right).await;
    assert_eq!(error_code(response).await, "expired_token");
    let pending = two.password_step().await;
    two.app.clock.advance(301);
    let response = two.send_code(&pending, &two.code()).await;
    assert_eq!(error_code(response).await, "expired_token");
    assert_eq!(two.sessions().await, 1);
}

// SEC-49: a password step counts as a failure of its address until its second step completes;
// then the address gets it back, so people signing in with two steps behind one address (an
// office, a carrier's NAT) never fill its budget themselves. An abandoned password step stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completed_second_steps_give_the_address_its_failure_back() {
    let two = Enrolled::new(&[("LOGIN_MAX_FAILURES", "3")]).await;
    let address = |two: &Enrolled| {
        let limiter = two.app.state.login_limiter.clone();
        let now = two.app.clock_now();
        async move { limiter.failures("ip:127.0.0.1", now).await.unwrap() }
    };
    for round in 0..5 {
        let pending = two.password_step().await;
        assert_eq!(
            address(&two).await,
            1,
            "round {round}: counted until the code"
        );
        let response = two.send_code(&pending, &two.code()).await;
        assert_eq!(response.status(), StatusCode::OK, "round {round}");
        assert_eq!(address(&two).await, 0, "round {round}: given back");
        two.app.clock.advance(30);
    }
    assert_eq!(two.sessions().await, 5);
    two.password_step().await;
    assert_eq!(
        address(&two).await,
        1,
        "an abandoned password step stays a failure"
    );
}

// SEC-49
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_sessions_say_what_they_proved() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("one@example.com").await;
    let login = app.login("one@example.com").await;
    let all: Vec<Value> = app
        .get_with_cookie(paths::SESSIONS_DETAILS, &login.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all[0]["mfa_factors"], serde_json::json!(["password"]));
    assert!(all[0]["mfa_updated_at"].as_str().is_some());
    // The summary of the seed API is unchanged.
    let summary = &app.list_json(&login.token).await[0];
    assert!(summary.get("mfa_factors").is_none() && summary.get("mfa_updated_at").is_none());
}
