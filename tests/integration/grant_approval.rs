//! CLI grants cannot launder a stale or stolen browser session into a fresh CLI token: approval
//! needs a recent sign-in and is budgeted, the CLI session inherits its approver's last password
//! proof, and grants die with the approving session and with the account-wide sign-outs.

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

impl TestApp {
    /// Approves `user_code` as the session `token`, confirming `password` when given.
    async fn approve(&self, token: &str, user_code: &str, password: Option<&str>) -> Response {
        self.decide_grant_with(token, user_code, true, password)
            .await
    }
}

/// The `code` of a server function's error body (`{"code": …}`).
async fn fn_error_code(response: Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["code"].as_str().unwrap_or_default().to_owned()
}

fn codes(grant: &Value) -> (String, String) {
    (
        grant["user_code"].as_str().unwrap().to_owned(),
        grant["device_code"].as_str().unwrap().to_owned(),
    )
}

// SEC-17, SEC-31: a session whose last sign-in is older than the re-auth window must confirm the
// password before its approval counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_needs_a_recent_sign_in() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("REAUTH_WINDOW_SECS", "60")])).await;
    let web = app.signed_in("stale@example.com").await.token;
    app.clock.advance(120);
    let (user_code, device_code) = codes(&app.start_grant().await);

    let response = app.approve(&web, &user_code, None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(fn_error_code(response).await, "reauth_required");
    let response = app
        .approve(&web, &user_code, Some("not the password"))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.redeem(&device_code).await.status(),
        StatusCode::BAD_REQUEST
    );

    let response = app.approve(&web, &user_code, Some(PASSWORD)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.redeem(&device_code).await.status(), StatusCode::OK);
}

// SEC-10, SEC-17: the CLI session is never fresher than the browser session that approved it, so
// it cannot pass a re-authentication check its approver would fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cli_session_inherits_its_approvers_last_sign_in() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("REAUTH_WINDOW_SECS", "600")])).await;
    let web = app.signed_in("inherit@example.com").await.token;
    app.clock.advance(500);
    let issued = app.cli_login(&web).await;
    let cli = issued["token"].as_str().unwrap();
    app.clock.advance(200);
    // 700 s after the only password proof: the CLI token must re-authenticate, like the browser.
    let response = app
        .request(Method::POST, paths::REVOKE_OTHERS)
        .bearer_auth(cli)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(response).await, "reauth_required");
    let approver_at = app
        .scalar_i64(
            "SELECT s.authenticated_at FROM sessions s WHERE s.public_id = $1",
            issued["session_id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(approver_at, (app.clock_now() - 700).0);
}

// SEC-31: a grant whose approving session ended before the redeem is refused, for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_dies_with_its_approving_session() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let approver = app.signed_in("approver@example.com").await;
    let other = app.login("approver@example.com").await.token;
    let (user_code, device_code) = codes(&app.start_grant().await);
    assert_eq!(
        app.approve(&approver.token, &user_code, None)
            .await
            .status(),
        StatusCode::OK
    );
    let response = app.delete_session(&other, &approver.public_id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for _ in 0..2 {
        let response = app.redeem(&device_code).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error_code(response).await, "access_denied");
    }
}

// SEC-13, SEC-17, SEC-31: "sign out all other sessions" and a password change deny approved
// grants that were not redeemed yet, even those the current session approved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_wide_sign_outs_deny_unredeemed_grants() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let web = app.signed_in("wide@example.com").await.token;

    let (user_code, device_code) = codes(&app.start_grant().await);
    assert_eq!(
        app.approve(&web, &user_code, None).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.revoke_others(&web).await.status(),
        StatusCode::NO_CONTENT
    );
    let response = app.redeem(&device_code).await;
    assert_eq!(error_code(response).await, "access_denied");

    let (user_code, device_code) = codes(&app.start_grant().await);
    assert_eq!(
        app.approve(&web, &user_code, None).await.status(),
        StatusCode::OK
    );
    let changed = app
        .call(
            server_fns::CHANGE_PASSWORD,
            &web,
            &[
                ("current_password", PASSWORD),
                ("new_password", "another good passphrase"),
                ("confirm_password", "another good passphrase"),
            ],
        )
        .await;
    assert!(changed.status().is_success(), "{}", changed.status());
    let response = app.redeem(&device_code).await;
    assert_eq!(error_code(response).await, "access_denied");
}

// SEC-15, SEC-31, SEC-41: approvals and denials are budgeted per session (10 an hour), so a
// session cannot mint enough CLI sessions to push every other session out through the per-user
// cap, nor probe codes by denying them; and another session's spent budget never stops the
// owner's session (with the budget per account, as before, it answered 429).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_are_budgeted_per_session() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let owner = app.signed_in("many@example.com").await.token;
    let web = app.login("many@example.com").await.token;
    for _ in 0..10 {
        let (user_code, _) = codes(&app.start_grant().await);
        assert_eq!(
            app.approve(&web, &user_code, None).await.status(),
            StatusCode::OK
        );
    }
    let (user_code, _) = codes(&app.start_grant().await);
    let refused = app.approve(&web, &user_code, None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fn_error_code(refused).await, "rate_limited");
    let deny = app.decide_grant(&web, &user_code, false).await;
    assert_eq!(deny.status(), StatusCode::TOO_MANY_REQUESTS, "denying too");
    // The owner's session has its own budget.
    let approved = app.approve(&owner, &user_code, None).await;
    assert_eq!(approved.status(), StatusCode::OK);
}

/// A CLI session says which session approved it; revoking that session can take the CLI sessions
/// it approved along (a box the person ticks), and leaves them alone otherwise.
// SEC-18: only the approver's own CLI sessions of the caller's account are ended with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_an_approver_can_take_its_cli_sessions_along() {
    use reqwest::{Method, header};
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("approver@example.com").await;
    let approver = app.login("approver@example.com").await;
    let kept_cli = app.cli_token(&approver.token).await;
    let page = app.page_text(pages::SESSIONS, &me.token).await;
    assert!(
        page.contains("Approved from "),
        "the CLI row names its approver"
    );
    let dialog = app
        .page_text(
            &format!("{}?revoke={}", pages::SESSIONS, approver.public_id),
            &me.token,
        )
        .await;
    assert!(
        dialog.contains("Also revoke the 1 CLI session it approved"),
        "{dialog}"
    );

    let revoke = |id: String, also: bool| {
        let mut form = vec![("id", id)];
        if also {
            form.push(("also_approved", "true".to_owned()));
        }
        app.with_cookie(Method::POST, server_fns::REVOKE, &me.token)
            .header(header::ORIGIN, &app.base)
            .form(&form)
            .send()
    };
    // Unticked: the approver ends, its CLI session stays.
    let second = app.login("approver@example.com").await;
    let second_cli = app.cli_token(&second.token).await;
    revoke(second.public_id.clone(), false).await.unwrap();
    assert_eq!(app.status_of(&second.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.bearer_status(&second_cli).await, StatusCode::OK);
    // Ticked: both end, in one go.
    revoke(approver.public_id.clone(), true).await.unwrap();
    assert_eq!(
        app.status_of(&approver.token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.bearer_status(&kept_cli).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.bearer_status(&second_cli).await, StatusCode::OK);
    assert_eq!(app.status_of(&me.token).await, StatusCode::OK);
}

// SEC-52, SEC-57: on a passkey account a CLI session inherits when its approver last proved the
// passkey: it may act within the window the approver could, and no longer (it is never fresher).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cli_session_inherits_its_approvers_passkey_proof() {
    use crate::passkeys_flow::{ORIGIN, add_passkey};
    let options = TestOptions::default().setting("PUBLIC_URL", ORIGIN);
    let app = TestApp::spawn(options.setting("REAUTH_WINDOW_SECS", "600")).await;
    let web = app.signed_in("cli-passkey@example.com").await.token;
    add_passkey(&app, &web).await;
    app.clock.advance(300);
    let cli = app.cli_token(&web).await;
    let revoke_others = || {
        app.request(Method::POST, paths::REVOKE_OTHERS)
            .bearer_auth(&cli)
            .send()
    };
    // 300 s after the approver's passkey: within the window, as for the approver.
    assert_eq!(
        revoke_others().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    app.clock.advance(400);
    // 700 s after it: the CLI must step up like the browser, at the passkey.
    let response = revoke_others().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "step_up_required", "{body}");
    assert_eq!(body["error"]["method"], "webauthn");
}
