//! How sessions end on their own or by account changes: timeouts, password change, disabled
//! and deleted accounts, the per-user cap.

use crate::support::*;
use active_sessions::users::service::AdminOutcome;
use active_sessions_api::paths::server_fns;
use reqwest::StatusCode;
use serde_json::Value;

// SEC-10
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_timeout_is_enforced_by_the_server_clock() {
    let app = TestApp::spawn(TestOptions::default().session_timeouts(600, 3600)).await;
    let token = app.signed_in("idle@example.com").await.token;
    app.clock.advance(599);
    assert_eq!(
        app.status_of(&token).await,
        StatusCode::OK,
        "still within the idle limit"
    );
    app.clock.advance(599);
    assert_eq!(
        app.status_of(&token).await,
        StatusCode::OK,
        "the previous request kept it alive"
    );
    app.clock.advance(601);
    let response = app.list(&token).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "idle past the limit"
    );
    assert_eq!(error_code(response).await, "unauthenticated");
    // Idle sessions do not come back when the clock is read again.
    assert_eq!(app.status_of(&token).await, StatusCode::UNAUTHORIZED);
}

// SEC-10
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absolute_timeout_ends_even_an_active_session() {
    let app = TestApp::spawn(TestOptions::default().session_timeouts(600, 3600)).await;
    let token = app.signed_in("absolute@example.com").await.token;
    let mut elapsed = 0;
    while elapsed + 300 < 3600 {
        app.clock.advance(300);
        elapsed += 300;
        assert_eq!(
            app.status_of(&token).await,
            StatusCode::OK,
            "active at {elapsed} s"
        );
    }
    app.clock.advance(3600 - elapsed);
    assert_eq!(
        app.status_of(&token).await,
        StatusCode::UNAUTHORIZED,
        "past the absolute limit"
    );
    assert_eq!(app.bearer_status(&token).await, StatusCode::UNAUTHORIZED);
}

// SEC-13
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_ends_other_sessions_and_rotates_the_current_token() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let current = app.signed_in("change@example.com").await;
    let other_web = app.login("change@example.com").await.token;
    let cli_token = app.cli_token(&current.token).await;
    assert_eq!(app.bearer_status(&cli_token).await, StatusCode::OK);
    assert_eq!(app.list_json(&current.token).await.len(), 3);

    let new_password = "a brand new passphrase";
    let change = |current_password: &'static str, confirm: &'static str, token: String| {
        let app = &app;
        async move {
            app.call(
                server_fns::CHANGE_PASSWORD,
                &token,
                &[
                    ("current_password", current_password),
                    ("new_password", new_password),
                    ("confirm_password", confirm),
                ],
            )
            .await
        }
    };

    // Wrong current password: refused, nothing ends.
    let response = change("not my password", new_password, current.token.clone()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&other_web).await, StatusCode::OK);
    // Mismatched confirmation: 400.
    let response = change(PASSWORD, "something else entirely", current.token.clone()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = change(PASSWORD, new_password, current.token.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let rotated =
        session_cookie(&response, app.cookie_name()).expect("a new cookie for this browser");
    assert_ne!(rotated, current.token);
    let ended: Value = response.json().await.unwrap();
    assert_eq!(ended, serde_json::json!(2), "two other sessions ended");

    assert_eq!(
        app.status_of(&other_web).await,
        StatusCode::UNAUTHORIZED,
        "other browser"
    );
    assert_eq!(
        app.bearer_status(&cli_token).await,
        StatusCode::UNAUTHORIZED,
        "CLI session"
    );
    assert_eq!(
        app.status_of(&current.token).await,
        StatusCode::UNAUTHORIZED,
        "old token of this browser"
    );
    let list = app.list_json(&rotated).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0]["id"],
        current.public_id.as_str(),
        "same session, new token"
    );
    assert_eq!(list[0]["is_current"], true);

    // The new password works, the old one does not.
    assert_eq!(
        app.login_as(LoginRequest::new("change@example.com"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login_as(LoginRequest::new("change@example.com").password(new_password))
            .await
            .status(),
        StatusCode::OK
    );
}

// SEC-14
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_a_user_ends_every_session() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("disable@example.com").await;
    app.create_user("bystander@example.com").await;
    let web1 = app.login("disable@example.com").await.token;
    let web2 = app.login("disable@example.com").await.token;
    let cli = app.cli_token(&web1).await;
    let bystander = app.login("bystander@example.com").await.token;

    let disabled = active_sessions::users::service::disable(&app.state, "disable@example.com")
        .await
        .unwrap();
    assert!(matches!(disabled, AdminOutcome::Done { sessions_ended: 3 }));
    assert_eq!(app.status_of(&web1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&web2).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.bearer_status(&cli).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&bystander).await, StatusCode::OK);
    let live = app
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.email = $1 AND s.revoked_at IS NULL",
            "disable@example.com",
        )
        .await;
    assert_eq!(live, 0);
    // A disabled account cannot sign in again (same answer as a wrong password).
    let response = app.login_as(LoginRequest::new("disable@example.com")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_credentials");
}

// SEC-14
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_user_ends_every_session() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("delete@example.com").await;
    app.create_user("stays@example.com").await;
    let web = app.login("delete@example.com").await.token;
    let cli = app.cli_token(&web).await;
    let stays = app.login("stays@example.com").await.token;

    let deleted = active_sessions::users::service::delete(&app.state, "delete@example.com")
        .await
        .unwrap();
    assert!(matches!(deleted, AdminOutcome::Done { sessions_ended: 2 }));
    assert_eq!(app.status_of(&web).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.bearer_status(&cli).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&stays).await, StatusCode::OK);
    let rows = app
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE user_id NOT IN (SELECT id FROM users) \
             OR user_id = (SELECT id FROM users WHERE email = $1)",
            "delete@example.com",
        )
        .await;
    assert_eq!(rows, 0, "no orphaned sessions remain");
}

// SEC-15
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cap_ends_the_least_recently_used() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("MAX_SESSIONS_PER_USER", "3")])).await;
    app.create_user("cap@example.com").await;
    let mut tokens = Vec::new();
    for _ in 0..3 {
        tokens.push(app.login("cap@example.com").await.token);
        app.clock.advance(10);
    }
    for token in &tokens {
        assert_eq!(app.status_of(token).await, StatusCode::OK);
    }
    app.clock.advance(120);
    // Using the first one makes the second the least recently used.
    assert_eq!(app.status_of(&tokens[0]).await, StatusCode::OK);
    app.clock.advance(10);
    let fourth = app.login("cap@example.com").await.token;
    assert_eq!(
        app.status_of(&tokens[1]).await,
        StatusCode::UNAUTHORIZED,
        "least recently used ended"
    );
    assert_eq!(app.status_of(&tokens[0]).await, StatusCode::OK);
    assert_eq!(app.status_of(&tokens[2]).await, StatusCode::OK);
    assert_eq!(app.status_of(&fourth).await, StatusCode::OK);
    assert_eq!(app.list_json(&fourth).await.len(), 3);

    // The next login ends the least recently used again: tokens[0] (last used at +150 s; the
    // checks above refreshed tokens[2] at +160 s).
    let fifth = app.login("cap@example.com").await.token;
    assert_eq!(app.status_of(&fifth).await, StatusCode::OK);
    assert_eq!(app.status_of(&tokens[0]).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&tokens[2]).await, StatusCode::OK);
    assert_eq!(app.status_of(&fourth).await, StatusCode::OK);
    assert_eq!(app.list_json(&fifth).await.len(), 3);
}
