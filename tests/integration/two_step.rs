//! Two-step sign-in (issue 23) through the real server: the password alone starts nothing on an
//! account with an authenticator app, a code is accepted once (also when sent in parallel), a
//! recovery code works once, and the session says what it proved. Enrolment goes through the
//! factors service directly (the settings page comes in a later slice).

use crate::support::*;
use active_sessions::factors::service::{TurnOn, turn_on_totp};
use active_sessions::factors::totp;
use active_sessions::platform::config::Config;
use active_sessions::platform::ids::UserId;
use active_sessions::server;
use active_sessions_api::paths;
use leptos::prelude::LeptosOptions;
use reqwest::{Method, Response, StatusCode, header};
use serde_json::Value;
use std::sync::Arc;

/// A base64 `SECRETS_KEY` for the tests (32 bytes).
const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// An account with an authenticator app.
struct Enrolled {
    app: TestApp,
    email: &'static str,
    user_id: UserId,
    secret: Vec<u8>,
    recovery: Vec<String>,
}

impl Enrolled {
    /// A server with `SECRETS_KEY` (and `settings`) and an enrolled account; the clock is moved
    /// past the step the enrolment used.
    async fn new(settings: &[(&str, &str)]) -> Self {
        let mut all = vec![("SECRETS_KEY", KEY)];
        all.extend_from_slice(settings);
        let app = TestApp::spawn(TestOptions::default().settings(&all)).await;
        let email = "two@example.com";
        let user_id = app.create_user(email).await;
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
    fn code(&self) -> String {
        totp::code_at(&self.secret, self.app.clock_now())
    }

    /// The password step as a JSON client: asserts 401 `second_step_required`; the pending token.
    async fn password_step(&self) -> String {
        let response = self.app.login_as(LoginRequest::new(self.email)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(session_cookie(&response, self.app.cookie_name()).is_none());
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "second_step_required", "{body}");
        let details = &body["error"]["details"];
        assert_eq!(
            details["methods"],
            serde_json::json!(["totp", "recovery_code"])
        );
        assert!(
            details["complete"]
                .as_str()
                .unwrap()
                .contains("/login/code")
        );
        details["pending"].as_str().unwrap().to_owned()
    }

    /// `POST /login/code` as a JSON client.
    async fn send_code(&self, pending: &str, code: &str) -> Response {
        self.app
            .request(Method::POST, "/login/code")
            .header(header::ACCEPT, "application/json")
            .form(&[("pending", pending), ("code", code)])
            .send()
            .await
            .expect("code request")
    }

    async fn sessions(&self) -> i64 {
        let sql = "SELECT COUNT(*) FROM sessions WHERE user_id = CAST($1 AS BIGINT)";
        self.app.scalar_i64(sql, &self.user_id.0.to_string()).await
    }

    async fn failures(&self) -> i64 {
        let key = format!("account:{}", self.email);
        let limiter = &self.app.state.login_limiter;
        limiter.failures(&key, self.app.clock_now()).await.unwrap()
    }

    /// The details of the caller's own session.
    async fn own_details(&self, token: &str) -> Value {
        let all: Vec<Value> = self
            .app
            .get_with_cookie(paths::SESSIONS_DETAILS, token)
            .await
            .json()
            .await
            .unwrap();
        all.into_iter().find(|d| d["is_current"] == true).unwrap()
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

// SEC-48
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_accepted_once() {
    let two = Enrolled::new(&[]).await;
    let code = two.code();
    let first = two.password_step().await;
    assert_eq!(two.send_code(&first, &code).await.status(), StatusCode::OK);
    let second = two.password_step().await;
    let replay = two.send_code(&second, &code).await;
    assert_eq!(error_code(replay).await, "invalid_code");
    assert_eq!(two.sessions().await, 1);
    // The next time step's code works.
    two.app.clock.advance(30);
    assert_eq!(
        two.send_code(&second, &two.code()).await.status(),
        StatusCode::OK
    );
    assert_eq!(two.sessions().await, 2);
}

// SEC-48
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_code_sent_in_parallel_signs_in_once() {
    let two = Enrolled::new(&[("LOGIN_MAX_FAILURES", "100")]).await;
    let mut pendings = Vec::new();
    for _ in 0..10 {
        pendings.push(two.password_step().await);
    }
    let code = two.code();
    let url = two.app.url("/login/code");
    let sends: Vec<_> = pendings
        .into_iter()
        .map(|pending| {
            let (client, url, code) = (two.app.client.clone(), url.clone(), code.clone());
            tokio::spawn(async move {
                let form = [("pending", pending), ("code", code)];
                let request = client.post(url).header(header::ACCEPT, "application/json");
                request.form(&form).send().await.expect("code request")
            })
        })
        .collect();
    let mut ok = 0;
    for send in sends {
        let response = send.await.unwrap();
        match response.status() {
            StatusCode::OK => ok += 1,
            StatusCode::UNAUTHORIZED => assert_eq!(error_code(response).await, "invalid_code"),
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        ok, 1,
        "exactly one of ten parallel uses of one code signs in"
    );
    assert_eq!(two.sessions().await, 1);
}

// SEC-50
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_code_works_once() {
    let two = Enrolled::new(&[]).await;
    assert_eq!(two.recovery.len(), 10);
    let code = two.recovery[3].to_uppercase();
    let pending = two.password_step().await;
    let response = two.send_code(&pending, &code).await;
    assert_eq!(response.status(), StatusCode::OK);
    let login = two.app.login_session(response).await;
    let mine = two.own_details(&login.token).await;
    assert_eq!(
        mine["mfa_factors"],
        serde_json::json!(["password", "recovery_code"])
    );
    let pending = two.password_step().await;
    let again = two.send_code(&pending, &two.recovery[3]).await;
    assert_eq!(error_code(again).await, "invalid_code");
    assert_eq!(
        two.send_code(&pending, &two.recovery[4]).await.status(),
        StatusCode::OK
    );
    // Stored hashed: no code appears in the database.
    let dump = two.app.dump_database_text().await.join("\n");
    for code in &two.recovery {
        assert!(!dump.contains(code.as_str()) && !dump.contains(&code.replace('-', "")));
    }
}

// SEC-47
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_sealed_and_the_key_is_required_while_factors_exist() {
    let two = Enrolled::new(&[]).await;
    let sql = "SELECT COUNT(*) FROM totp_factors WHERE user_id = CAST($1 AS BIGINT)";
    assert_eq!(two.app.scalar_i64(sql, &two.user_id.0.to_string()).await, 1);
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT secret_sealed FROM totp_factors")
        .fetch_one(two.app.state.db.pool())
        .await
        .unwrap();
    assert!(
        !sealed
            .windows(two.secret.len())
            .any(|w| w == two.secret.as_slice())
    );
    let dump = two.app.dump_database_text().await.join("\n");
    assert!(!dump.contains(&totp::base32(&two.secret)));

    // Without the key that sealed them, the server refuses to start and says why.
    let mut settings = two.app.settings.clone();
    settings.remove("SECRETS_KEY");
    let config = Config::from_lookup(|k| settings.get(k).cloned()).unwrap();
    let options = LeptosOptions::builder()
        .output_name("active-sessions")
        .site_root("target/site")
        .build();
    let clock = Arc::new(two.app.clock.clone());
    let refused = server::build_state(config, options, clock).await;
    let message = format!("{:#}", refused.err().expect("start refused"));
    assert!(message.contains("SECRETS_KEY is not set"), "{message}");
    // A malformed key is refused naming the variable, without echoing it.
    settings.insert("SECRETS_KEY".into(), "hunter2".into());
    let err = Config::from_lookup(|k| settings.get(k).cloned()).unwrap_err();
    assert_eq!(err.variable(), "SECRETS_KEY");
    assert!(!err.to_string().contains("hunter2"));
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
