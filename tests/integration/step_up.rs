//! Step-up at the account's strongest factor (issue 23, GitHub's sudo mode) through the real
//! server: on an account with an authenticator app, a sensitive action needs a recent code from
//! the app on this session besides the password; a code counts once, a recovery code never, and
//! wrong codes spend the session's re-authentication budget. Turning the app off (in
//! `two_step_off`) needs the same.

use crate::support::*;
use crate::two_step::Enrolled;
use active_sessions_api::paths::{self, server_fns};
use reqwest::{Method, Response, StatusCode, header};
use serde_json::{Value, json};

/// Past the default re-authentication window (15 minutes).
pub const STALE: i64 = 16 * 60;

/// Signs in with password and the app's code (the next time step); the session's token.
pub async fn sign_in(two: &Enrolled) -> String {
    two.app.clock.advance(30);
    let pending = two.password_step().await;
    let response = two.send_code(&pending, &two.code()).await;
    assert_eq!(response.status(), StatusCode::OK);
    two.app.login_session(response).await.token
}

/// `POST /api/v1/auth/sessions/revoke-others` with `body`.
async fn revoke_others(two: &Enrolled, token: &str, body: Value) -> Response {
    two.app
        .with_cookie(Method::POST, paths::REVOKE_OTHERS, token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A server function called as a JSON client would (the error comes back as JSON).
pub async fn server_fn(app: &TestApp, token: &str, path: &str, form: &[(&str, &str)]) -> Response {
    app.with_cookie(Method::POST, path, token)
        .header(header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The `code` of a server function's error body (`{"code": …}`).
pub async fn fn_error_code(response: Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["code"].as_str().unwrap_or_default().to_owned()
}

// SEC-53
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_all_others_needs_a_fresh_code_not_the_password_alone() {
    let two = Enrolled::new(&[]).await;
    let me = sign_in(&two).await;
    let other = sign_in(&two).await;
    // Signed in with password and code just now: fresh, nothing more to prove.
    let html = two
        .app
        .page_text("/settings/sessions?signout_others=1", &me)
        .await;
    assert!(!html.contains(r#"name="code""#), "{html}");
    two.app.clock.advance(STALE);

    let response = revoke_others(&two, &me, json!({ "password": PASSWORD })).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "step_up_required", "{body}");
    assert_eq!(body["error"]["method"], "totp", "{body}");
    // The page's dialog asks for both.
    let html = two
        .app
        .page_text("/settings/sessions?signout_others=1", &me)
        .await;
    assert!(html.contains(r#"name="password""#) && html.contains(r#"name="code""#));

    // A recovery code never passes step-up, and is not spent by trying.
    let recovery = two.recovery[0].as_str();
    let proofs = json!({ "password": PASSWORD, "code": recovery });
    let response = revoke_others(&two, &me, proofs).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_code");
    assert_eq!(
        two.app.status_of(&other).await,
        StatusCode::OK,
        "nothing ended"
    );

    let code = two.code();
    let proofs = json!({ "password": PASSWORD, "code": code });
    let response = revoke_others(&two, &me, proofs).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(two.app.status_of(&other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(two.app.status_of(&me).await, StatusCode::OK);

    // The recovery code still signs in (once).
    let pending = two.password_step().await;
    let response = two.send_code(&pending, recovery).await;
    assert_eq!(response.status(), StatusCode::OK);
}

// SEC-53: the code is spent with the same compare-and-set as at sign-in (RFC 6238 §5.2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_up_code_is_accepted_once() {
    let two = Enrolled::new(&[]).await;
    let first = sign_in(&two).await;
    let second = sign_in(&two).await;
    two.app.clock.advance(STALE);
    let code = two.code();
    let form = [("password", PASSWORD), ("code", code.as_str())];
    let path = server_fns::REGENERATE_RECOVERY_CODES;
    let response = server_fn(&two.app, &second, path, &form).await;
    assert!(response.status().is_success(), "{}", response.status());

    // The same code on another session: refused, even within its time window.
    let proofs = json!({ "password": PASSWORD, "code": code });
    let response = revoke_others(&two, &first, proofs).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_code");
    assert_eq!(two.app.status_of(&second).await, StatusCode::OK);
    // The next code works.
    two.app.clock.advance(30);
    let proofs = json!({ "password": PASSWORD, "code": two.code() });
    let response = revoke_others(&two, &first, proofs).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(two.app.status_of(&second).await, StatusCode::UNAUTHORIZED);
}

// SEC-53: wrong codes spend the session's re-authentication budget, like wrong passwords.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_step_up_codes_are_budgeted_per_session() {
    let two = Enrolled::new(&[("LOGIN_MAX_FAILURES", "3")]).await;
    let me = sign_in(&two).await;
    two.app.clock.advance(STALE);
    let right = two.code();
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    for _ in 0..3 {
        let proofs = json!({ "password": PASSWORD, "code": wrong });
        let response = revoke_others(&two, &me, proofs).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_code");
        // The message does not send the person to their recovery codes, which never pass here.
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("a recovery code cannot confirm this"),
            "{message}"
        );
    }
    let proofs = json!({ "password": PASSWORD, "code": right });
    let response = revoke_others(&two, &me, proofs).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let failures = two
        .app
        .scalar_i64(
            "SELECT reauth_failures FROM sessions WHERE user_id = CAST($1 AS BIGINT)",
            &two.user_id.0.to_string(),
        )
        .await;
    assert_eq!(failures, 3, "the owner's page shows the failed attempts");
    // Another session of the owner keeps its own budget.
    let mine = sign_in(&two).await;
    two.app.clock.advance(STALE);
    let proofs = json!({ "password": PASSWORD, "code": two.code() });
    let response = revoke_others(&two, &mine, proofs).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

// SEC-53: changing the password needs the code too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_needs_the_code() {
    let two = Enrolled::new(&[]).await;
    let me = sign_in(&two).await;
    two.app.clock.advance(STALE);
    let new = "another good passphrase";
    let change = [
        ("current_password", PASSWORD),
        ("new_password", new),
        ("confirm_password", new),
    ];
    let response = server_fn(&two.app, &me, server_fns::CHANGE_PASSWORD, &change).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(fn_error_code(response).await, "step_up_required");
    let html = two.app.page_text(paths::pages::PASSWORD, &me).await;
    assert!(html.contains(r#"name="code""#), "{html}");

    let code = two.code();
    let mut with_code = change.to_vec();
    with_code.push(("code", code.as_str()));
    let response = server_fn(&two.app, &me, server_fns::CHANGE_PASSWORD, &with_code).await;
    assert!(response.status().is_success(), "{}", response.status());
}

// SEC-53: approving a CLI sign-in needs the code too (`totp_code`: the grant's code is `code`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_a_cli_sign_in_needs_the_code() {
    let two = Enrolled::new(&[]).await;
    let me = sign_in(&two).await;
    two.app.clock.advance(STALE);
    let grant = two.app.start_grant().await;
    let user_code = grant["user_code"].as_str().unwrap();
    let device_code = grant["device_code"].as_str().unwrap();
    let page = format!("{}?code={user_code}", paths::pages::CLI_APPROVE);
    let html = two.app.page_text(&page, &me).await;
    assert!(html.contains(r#"name="totp_code""#), "{html}");

    let approve = [
        ("code", user_code),
        ("approve", "true"),
        ("password", PASSWORD),
    ];
    let response = server_fn(&two.app, &me, server_fns::CLI_DECIDE, &approve).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(fn_error_code(response).await, "step_up_required");
    let status = two.app.redeem(device_code).await.status();
    assert_eq!(status, StatusCode::BAD_REQUEST, "not approved");

    let code = two.code();
    let mut with_code = approve.to_vec();
    with_code.push(("totp_code", code.as_str()));
    let response = server_fn(&two.app, &me, server_fns::CLI_DECIDE, &with_code).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(two.app.redeem(device_code).await.status(), StatusCode::OK);
}
