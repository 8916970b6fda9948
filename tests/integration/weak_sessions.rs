//! Sessions without two-step (issue 23): each row says what its session proved, and "Sign out
//! sessions without two-step" ends exactly the password-only ones — on the page without
//! JavaScript, through the API, with the this-device confirmation.

use crate::support::*;
use crate::two_step::{Enrolled, KEY};
use active_sessions_api::paths::server_fns;
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

/// An account with one password-only session (signed in before two-step was turned on), one
/// signed in with password + code, and a CLI session approved from the strong one.
struct Mixed {
    two: Enrolled,
    weak: Login,
    strong: Login,
    cli_token: String,
}

impl Mixed {
    async fn new() -> Self {
        let app = TestApp::spawn(TestOptions::default().setting("SECRETS_KEY", KEY)).await;
        let email = "two@example.com";
        let user_id = app.create_user(email).await;
        let weak = app.login(email).await;
        let two = Enrolled::enrol(app, email, user_id).await;
        let pending = two.password_step().await;
        let response = two.send_code(&pending, &two.code()).await;
        let strong = two.app.login_session(response).await;
        let cli = two.app.cli_login(&strong.token).await;
        let cli_token = cli["token"].as_str().unwrap().to_owned();
        Self {
            two,
            weak,
            strong,
            cli_token,
        }
    }

    async fn revoke_weak(&self, token: &str, confirm: bool) -> reqwest::Response {
        let path = if confirm {
            "/api/v1/auth/sessions/revoke-weak?confirm_current=true"
        } else {
            "/api/v1/auth/sessions/revoke-weak"
        };
        self.two
            .app
            .request(Method::POST, path)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_say_what_each_session_proved() {
    let m = Mixed::new().await;
    let app = &m.two.app;
    let html = app.page_text("/settings/sessions", &m.strong.token).await;
    assert!(
        html.contains("Password + authenticator app · Signed in from"),
        "{html}"
    );
    assert!(html.contains(r#"class="session-meta weak""#), "{html}");
    assert!(html.contains("Password only · Signed in from"), "{html}");
    assert!(
        html.contains("Sign out sessions without two-step (1)"),
        "{html}"
    );
    let details: Vec<Value> = app
        .get_with_cookie("/api/v1/auth/sessions/details", &m.strong.token)
        .await
        .json()
        .await
        .unwrap();
    let of = |id: &str| details.iter().find(|d| d["id"] == id).unwrap()["mfa_factors"].clone();
    assert_eq!(of(&m.weak.public_id), serde_json::json!(["password"]));
    assert_eq!(
        of(&m.strong.public_id),
        serde_json::json!(["password", "totp"])
    );
    let cli = details.iter().find(|d| d["kind"] == "cli").unwrap();
    assert_eq!(
        cli["mfa_factors"],
        serde_json::json!(["password", "totp"]),
        "as its approver"
    );
}

// SEC-52
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_ends_exactly_the_sessions_without_two_step() {
    let m = Mixed::new().await;
    let app = &m.two.app;
    // From the weak session itself: it is one of them, so it must confirm.
    let refused = m.revoke_weak(&m.weak.token, false).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.status_of(&m.weak.token).await,
        StatusCode::OK,
        "nothing ended"
    );
    let done = m.revoke_weak(&m.strong.token, false).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.status_of(&m.weak.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&m.strong.token).await, StatusCode::OK);
    assert_eq!(
        app.bearer_status(&m.cli_token).await,
        StatusCode::OK,
        "CLI kept its level"
    );
    let ended: Vec<Value> = app
        .get_with_cookie("/api/v1/auth/sessions/ended", &m.strong.token)
        .await
        .json()
        .await
        .unwrap();
    let entry = ended
        .iter()
        .find(|e| e["id"] == m.weak.public_id.as_str())
        .unwrap();
    assert_eq!(entry["ended_reason"], "without_two_step", "{entry}");
}

// SEC-52
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weak_session_may_end_itself_with_confirmation() {
    let m = Mixed::new().await;
    let response = m.revoke_weak(&m.weak.token, true).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        m.two.app.status_of(&m.weak.token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(m.two.app.status_of(&m.strong.token).await, StatusCode::OK);
    // Without two-step on the account, there is nothing to tell apart: refused.
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("plain@example.com").await.token;
    let response = app
        .request(Method::POST, "/api/v1/auth/sessions/revoke-weak")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await, "invalid_input");
}

// SEC-52
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_button_asks_then_signs_them_out_without_javascript() {
    let m = Mixed::new().await;
    let app = &m.two.app;
    let html = app
        .page_text("/settings/sessions?signout_weak=1", &m.strong.token)
        .await;
    assert!(
        html.contains("Sign out sessions without two-step?"),
        "{html}"
    );
    assert!(html.contains("This device stays signed in."));
    let html = app
        .page_text("/settings/sessions?signout_weak=1", &m.weak.token)
        .await;
    assert!(html.contains("This device is one of them"), "{html}");
    let response = app
        .request(Method::POST, server_fns::SIGN_OUT_WEAK)
        .header(header::COOKIE, app.cookie(&m.strong.token))
        .header(header::ACCEPT, "text/html")
        .header(
            header::REFERER,
            app.url("/settings/sessions?signout_weak=1"),
        )
        .form(&[("confirm_current", "false")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        header_str(&response, "location"),
        Some("/settings/sessions?signed_out=1")
    );
    assert_eq!(app.status_of(&m.weak.token).await, StatusCode::UNAUTHORIZED);
    let html = app.page_text("/settings/sessions", &m.strong.token).await;
    assert!(
        !html.contains("Sign out sessions without two-step ("),
        "no weak session left"
    );
}

// SEC-52, SEC-53: a password-only session that proves the app's code (step-up) has proved two
// factors: its row and `details` say so, and it is no longer one "without two-step".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_up_code_raises_a_password_only_session_to_two_factors() {
    let m = Mixed::new().await;
    let app = &m.two.app;
    let before = m.two.own_details(&m.weak.token).await;
    assert_eq!(before["mfa_factors"], serde_json::json!(["password"]));
    m.two.app.clock.advance(30);
    let proofs = serde_json::json!({ "password": PASSWORD, "code": m.two.code() });
    let response = app
        .with_cookie(
            Method::POST,
            active_sessions_api::paths::REVOKE_OTHERS,
            &m.weak.token,
        )
        .json(&proofs)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let after = m.two.own_details(&m.weak.token).await;
    assert_eq!(
        after["mfa_factors"],
        serde_json::json!(["password", "totp"])
    );
    assert_ne!(after["mfa_updated_at"], before["mfa_updated_at"]);
    let html = app.page_text("/settings/sessions", &m.weak.token).await;
    assert!(html.contains("Password + authenticator app"), "{html}");
    // Nothing is left without two-step: no confirmation needed, and this session stays.
    let done = m.revoke_weak(&m.weak.token, false).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.status_of(&m.weak.token).await, StatusCode::OK);
}
