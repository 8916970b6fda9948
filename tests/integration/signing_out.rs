//! Every way of ending your own session answers alike: the session cookie deleted and
//! `Clear-Site-Data` for cache and storage (never cookies: the device cookie stays), from the one place that sets them (`auth::cookie::signed_out_headers`).

use crate::support::*;
use active_sessions_api::paths::server_fns;
use reqwest::{Method, Response, StatusCode, header};

fn assert_signed_out(app: &TestApp, response: &Response, how: &str) {
    let clear = header_str(response, "clear-site-data")
        .unwrap_or_else(|| panic!("{how}: no Clear-Site-Data"));
    assert!(clear.contains("\"storage\""), "{how}: {clear}");
    // The session cookie is deleted by name; "cookies" would take the device cookie too (SEC-46).
    assert!(!clear.contains("cookies"), "{how}: {clear}");
    let cookie = set_cookie_named(response, app.cookie_name())
        .unwrap_or_else(|| panic!("{how}: the cookie is not cleared"));
    assert!(cookie.contains("Max-Age=0"), "{how}: {cookie}");
}

/// The revoke server function as the page calls it: a form post, `text/html` when JavaScript is
/// off, `application/json` from the hydrated page.
async fn revoke_fn(app: &TestApp, token: &str, id: &str, accept: &str) -> Response {
    app.with_cookie(Method::POST, server_fns::REVOKE, token)
        .header(header::ACCEPT, accept)
        .form(&[("id", id), ("confirm_current", "true")])
        .send()
        .await
        .unwrap()
}

// SEC-11
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_way_of_ending_your_own_session_clears_cookie_and_site_data() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("out@example.com").await.token;
    let logout = app.logout_form(&token).await;
    assert!(logout.status().is_redirection());
    assert_signed_out(&app, &logout, "POST /logout");
    assert_eq!(app.status_of(&token).await, StatusCode::UNAUTHORIZED);

    for (accept, how) in [
        ("text/html", "the page's revoke form (JavaScript off)"),
        ("application/json", "the revoke server function"),
    ] {
        let me = app.login("out@example.com").await;
        let response = revoke_fn(&app, &me.token, &me.public_id, accept).await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "{how}: {}",
            response.status()
        );
        assert_signed_out(&app, &response, how);
        assert_eq!(app.status_of(&me.token).await, StatusCode::UNAUTHORIZED);
    }

    let me = app.login("out@example.com").await;
    let response = app
        .delete_session(&me.token, &format!("{}?confirm_current=true", me.public_id))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_signed_out(&app, &response, "DELETE with confirm_current=true");
    assert_eq!(app.status_of(&me.token).await, StatusCode::UNAUTHORIZED);
}

// SEC-11: ending *another* session leaves this browser's cookie and storage alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_another_session_clears_nothing_here() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("keep@example.com").await.token;
    let other = app.login("keep@example.com").await;
    let response = revoke_fn(&app, &me, &other.public_id, "application/json").await;
    assert!(response.status().is_success(), "{}", response.status());
    assert!(header_str(&response, "clear-site-data").is_none());
    assert!(set_cookie_named(&response, app.cookie_name()).is_none());
    let response = app
        .delete_session(&me, &app.login("keep@example.com").await.public_id)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(header_str(&response, "clear-site-data").is_none());
    assert_eq!(app.status_of(&me).await, StatusCode::OK);
}
