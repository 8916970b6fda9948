//! No lockout of the owner: failed logins from browsers that never signed in to the account share
//! the account's budget, while a browser with the account's device cookie has its own.

use crate::support::*;
use active_sessions_api::paths::pages;
use reqwest::{Method, StatusCode, header};

const OWNER: &str = "owner@example.com";
const OWNER_IP: &str = "198.51.100.7";

/// A login to the owner's account from `ip`, as the trusted proxy forwards it.
fn owner_from(ip: &str) -> LoginRequest<'_> {
    LoginRequest::new(OWNER).forwarded_for(ip)
}

async fn proxied_app() -> TestApp {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("TRUST_PROXY_HEADERS", "true")])).await;
    app.create_user(OWNER).await;
    app
}

/// Spends the account's budget from ten addresses (each far from its own address budget).
async fn burn_account_budget(app: &TestApp) {
    for i in 0..10 {
        let response = app
            .login_as(owner_from(&format!("203.0.113.{i}")).password("guess"))
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app
        .login_as(owner_from("203.0.113.99").password("guess"))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

// SEC-29: the owner's known browser still signs in after an attacker spent the account budget; a
// browser that never signed in is held to that budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attacker_cannot_lock_the_owner_out_of_a_known_browser() {
    let app = proxied_app().await;
    let first = app.login_as(owner_from(OWNER_IP)).await;
    assert_eq!(first.status(), StatusCode::OK);
    let device = session_cookie(&first, "device").expect("a device cookie after sign-in");
    let attrs = set_cookie_named(&first, "device").unwrap();
    assert!(
        attrs.contains("HttpOnly") && attrs.contains("Max-Age=31536000"),
        "{attrs}"
    );

    burn_account_budget(&app).await;

    let known = app
        .login_as(owner_from(OWNER_IP).device(Some(&device)))
        .await;
    assert_eq!(
        known.status(),
        StatusCode::OK,
        "the owner's browser gets in"
    );
    assert!(
        set_cookie_named(&known, "device").is_none(),
        "a known browser keeps its device cookie"
    );
    let unknown = app.login_as(owner_from("198.51.100.8")).await;
    assert_eq!(unknown.status(), StatusCode::TOO_MANY_REQUESTS);
    let forged = app
        .login_as(owner_from("198.51.100.9").device(Some(&random_token())))
        .await;
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS);
}

// SEC-29: guesses from a browser with a device cookie are budgeted under that device, so a stolen
// device cookie gives no more than LOGIN_MAX_FAILURES tries, and does not spend the account's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_browser_has_its_own_budget() {
    let app = proxied_app().await;
    let first = app.login_as(owner_from(OWNER_IP)).await;
    let device = session_cookie(&first, "device").unwrap();
    for i in 0..10 {
        let response = app
            .login_as(
                owner_from(&format!("192.0.2.{i}"))
                    .device(Some(&device))
                    .password("guess"),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app
        .login_as(owner_from("192.0.2.99").device(Some(&device)))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let other_browser = app.login_as(owner_from("192.0.2.100")).await;
    assert_eq!(
        other_browser.status(),
        StatusCode::OK,
        "the account budget is untouched"
    );
}

// SEC-29: a device cookie of another account counts for nothing here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_accounts_device_cookie_is_not_trusted() {
    let app = proxied_app().await;
    app.create_user("someone@example.com").await;
    let theirs = app
        .request(Method::POST, pages::LOGIN)
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", "192.0.2.200")
        .form(&[("email", "someone@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let device = session_cookie(&theirs, "device").unwrap();
    burn_account_budget(&app).await;
    let response = app
        .login_as(owner_from(OWNER_IP).device(Some(&device)))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

fn random_token() -> String {
    active_sessions::sessions::token::SessionToken::generate()
        .expose()
        .to_owned()
}

/// A wrong password for a fresh account each time (so only the address budget fills), sent as
/// if through our proxy with `forwarded` as `X-Forwarded-For`.
async fn guess_from(app: &TestApp, forwarded: &str, i: usize) -> StatusCode {
    app.request(Method::POST, pages::LOGIN)
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", forwarded)
        .form(&[
            ("email", format!("nobody{i}@example.com")),
            ("password", "guess".into()),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

// SEC-29: one IPv6 /64 is one budget, however many of its 2^64 addresses the guesses come from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_guesses_share_the_budget_of_their_64() {
    let app = proxied_app().await;
    for i in 0..10 {
        let from = format!("2001:db8:7:7::{:x}", i + 1);
        assert_eq!(guess_from(&app, &from, i).await, StatusCode::UNAUTHORIZED);
    }
    let same_64 = guess_from(&app, "2001:db8:7:7:ffff:ffff:ffff:ffff", 10).await;
    assert_eq!(same_64, StatusCode::TOO_MANY_REQUESTS);
    let next_64 = guess_from(&app, "2001:db8:7:8::1", 11).await;
    assert_eq!(next_64, StatusCode::UNAUTHORIZED);
}

// SEC-29: when our proxy's entry is not a bare address (`ip:port`, `unknown`), the client's own
// entries to its left are not trusted: the guesses count against the peer address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_proxy_entry_falls_back_to_the_peer() {
    let app = proxied_app().await;
    for i in 0..10 {
        let forwarded = format!("203.0.113.{i}, 198.51.100.1:{}", 4000 + i);
        assert_eq!(
            guess_from(&app, &forwarded, i).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let spoofed = guess_from(&app, "203.0.113.200, unknown", 10).await;
    assert_eq!(
        spoofed,
        StatusCode::TOO_MANY_REQUESTS,
        "all counted to the peer"
    );
}
