//! The CLI sign-in grant: start, approve in the browser, redeem once.

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

// SEC-31
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grant_is_approved_in_the_browser_and_redeemed_exactly_once() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let web = app.signed_in("cli@example.com").await;

    let grant = app.start_grant().await;
    let device_code = grant["device_code"].as_str().unwrap().to_owned();
    let user_code = grant["user_code"].as_str().unwrap().to_owned();
    assert_eq!(device_code.len(), 43, "device code has token strength");
    assert_eq!(user_code.len(), 9);
    assert!(grant["expires_in"].as_i64().unwrap() <= 600);
    assert!(
        grant["verification_uri_complete"]
            .as_str()
            .unwrap()
            .ends_with(&pages::cli_approve(&user_code))
    );
    assert!(
        !grant["verification_uri_complete"]
            .as_str()
            .unwrap()
            .contains(&device_code),
        "the device code stays secret"
    );

    // Not approved yet: keep polling.
    let response = app.redeem(&device_code).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "authorization_pending");

    // Approval needs a signed-in user.
    let response = app
        .request(Method::POST, server_fns::CLI_DECIDE)
        .header(header::ACCEPT, "application/json")
        .form(&[("code", user_code.as_str()), ("approve", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app.redeem(&device_code).await;
    assert_eq!(error_code(response).await, "authorization_pending");

    // The approval page shows the request to the signed-in user.
    let page = app
        .get_with_cookie(&pages::cli_approve(&user_code), &web.token)
        .await;
    assert_eq!(page.status(), StatusCode::OK);

    // Approve (typed in lower case with spaces: normalised).
    let typed = user_code.to_lowercase().replace('-', " ");
    let response = app.decide_grant(&web.token, &typed, true).await;
    assert_eq!(response.status(), StatusCode::OK);
    // A second decision is refused: the grant is no longer pending.
    let response = app.decide_grant(&web.token, &user_code, false).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Two concurrent redeems: exactly one gets the token.
    let (first, second) = tokio::join!(app.redeem(&device_code), app.redeem(&device_code));
    let mut outcomes = Vec::new();
    for response in [first, second] {
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        outcomes.push((status, body));
    }
    let winners: Vec<&Value> = outcomes
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    let loser = outcomes.iter().find(|(s, _)| *s != StatusCode::OK).unwrap();
    assert_eq!(loser.0, StatusCode::BAD_REQUEST);
    assert_eq!(loser.1["error"]["code"], "invalid_grant");
    let issued = winners[0].clone();
    assert_eq!(issued["token_type"], "Bearer");
    let cli_token = issued["token"].as_str().unwrap().to_owned();
    let cli_id = issued["session_id"].as_str().unwrap().to_owned();
    assert_eq!(cli_token.len(), 43);
    assert_ne!(
        cli_token, device_code,
        "the device code is not the session token"
    );

    // Redeeming again later: still refused.
    let response = app.redeem(&device_code).await;
    assert_eq!(error_code(response).await, "invalid_grant");
    // The device code itself is not a credential.
    assert_eq!(
        app.bearer_status(&device_code).await,
        StatusCode::UNAUTHORIZED
    );

    // The redeemed token is an ordinary cli session of the approver.
    let response = app.bearer_list(&cli_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let list: Vec<Value> = response.json().await.unwrap();
    let me: Vec<&Value> = list.iter().filter(|e| e["is_current"] == true).collect();
    assert_eq!(me.len(), 1);
    assert_eq!(me[0]["kind"], "cli");
    assert_eq!(me[0]["id"], cli_id.as_str());
    assert!(
        list.iter()
            .any(|e| e["id"] == web.public_id.as_str() && e["kind"] == "web")
    );
    let expires = time::OffsetDateTime::parse(
        issued["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(
        expires.unix_timestamp() > app.clock_now().0,
        "it expires in the future"
    );

    // The browser revokes it: the CLI token is refused at once.
    assert_eq!(
        app.delete_session(&web.token, &cli_id).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.bearer_status(&cli_token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.status_of(&web.token).await, StatusCode::OK);
}

// SEC-31
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_expire_after_ten_minutes() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let web = app.signed_in("slow@example.com").await.token;

    // Approved but redeemed too late.
    let approved = app.start_grant().await;
    assert_eq!(
        app.decide_grant(&web, approved["user_code"].as_str().unwrap(), true)
            .await
            .status(),
        StatusCode::OK
    );
    // Never approved.
    let pending = app.start_grant().await;
    // Approved just in time, redeemed too late.
    let late = app.start_grant().await;

    app.clock.advance(599);
    assert_eq!(
        app.decide_grant(&web, late["user_code"].as_str().unwrap(), true)
            .await
            .status(),
        StatusCode::OK
    );
    app.clock.advance(2);

    for grant in [&approved, &pending, &late] {
        let response = app.redeem(grant["device_code"].as_str().unwrap()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error_code(response).await, "expired_token");
    }
    // An expired grant cannot be approved any more either.
    let response = app
        .decide_grant(&web, pending["user_code"].as_str().unwrap(), true)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

// SEC-31
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_and_unknown_grants_give_no_token() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let web = app.signed_in("deny@example.com").await.token;

    let grant = app.start_grant().await;
    assert_eq!(
        app.decide_grant(&web, grant["user_code"].as_str().unwrap(), false)
            .await
            .status(),
        StatusCode::OK
    );
    let response = app.redeem(grant["device_code"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "access_denied");
    // A denied grant cannot be approved afterwards.
    assert_eq!(
        app.decide_grant(&web, grant["user_code"].as_str().unwrap(), true)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    for bogus in [
        active_sessions::sessions::token::SessionToken::generate()
            .expose()
            .to_owned(),
        "short".to_owned(),
        String::new(),
        "x".repeat(5000),
    ] {
        let response = app.redeem(&bogus).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error_code(response).await, "invalid_grant");
    }
    // Not JSON at all.
    let response = app
        .request(Method::POST, paths::CLI_REDEEM)
        .header(header::CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_input");
    // Unknown user codes cannot be approved.
    assert_eq!(
        app.decide_grant(&web, "BCDF-GHJK", true).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.decide_grant(&web, "not a code", true).await.status(),
        StatusCode::NOT_FOUND
    );
}

// SEC-31
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_sessions_expire_and_can_be_revoked_from_the_cli() {
    let app = TestApp::spawn(TestOptions::default().settings(&[
        ("CLI_SESSION_ABSOLUTE_TIMEOUT_SECS", "7200"),
        ("SESSION_IDLE_TIMEOUT_SECS", "3600"),
    ]))
    .await;
    let web = app.signed_in("term@example.com").await.token;
    let first = app.cli_login(&web).await;
    let second = app.cli_login(&web).await;
    let first_token = first["token"].as_str().unwrap().to_owned();
    let second_token = second["token"].as_str().unwrap().to_owned();

    // A CLI can end its own session (what `logout` in the CLI does), with the confirmation.
    let response = app
        .request(
            Method::DELETE,
            &format!(
                "{}?confirm_current=true",
                paths::session(second["session_id"].as_str().unwrap())
            ),
        )
        .bearer_auth(&second_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        set_cookies(&response).is_empty(),
        "bearer clients get no cookie header"
    );
    assert_eq!(
        app.bearer_status(&second_token).await,
        StatusCode::UNAUTHORIZED
    );

    // The first one lives until its absolute expiry even when used regularly.
    for _ in 0..3 {
        app.clock.advance(1800);
        assert_eq!(app.bearer_status(&first_token).await, StatusCode::OK);
    }
    app.clock.advance(1801);
    assert_eq!(
        app.bearer_status(&first_token).await,
        StatusCode::UNAUTHORIZED
    );
}

// SEC-31: starting and redeeming grants are rate limited per address (30 a minute each), with a
// JSON 429 and Retry-After; the budget comes back when the window has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grant_start_and_redeem_are_rate_limited() {
    let app = TestApp::spawn(TestOptions::default()).await;
    for _ in 0..30 {
        app.start_grant().await;
    }
    let refused = app
        .request(Method::POST, paths::CLI_START)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = header_str(&refused, "retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(error_code(refused).await, "rate_limited");

    // Redeeming has its own budget: guessing device codes stops after 30 tries.
    let guess = active_sessions::sessions::token::SessionToken::generate()
        .expose()
        .to_owned();
    for _ in 0..30 {
        assert_eq!(app.redeem(&guess).await.status(), StatusCode::BAD_REQUEST);
    }
    let refused = app.redeem(&guess).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_code(refused).await, "rate_limited");

    app.clock.advance(61);
    app.start_grant().await;
    assert_eq!(app.redeem(&guess).await.status(), StatusCode::BAD_REQUEST);
}

// SEC-31: the approval link never comes from the requester's Host header, so a grant started
// with `Host: evil.example` cannot hand out a link to another site.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_links_ignore_the_host_header() {
    let app = TestApp::spawn(
        TestOptions::default().settings(&[("PUBLIC_URL", "https://sessions.example")]),
    )
    .await;
    let without_public_url = TestApp::spawn(TestOptions::default()).await;
    for (app, expected) in [
        (&app, "https://sessions.example/cli/approve"),
        (&without_public_url, "http://127.0.0.1:3000/cli/approve"),
    ] {
        let grant: serde_json::Value = app
            .request(reqwest::Method::POST, paths::CLI_START)
            .header(reqwest::header::HOST, "evil.example")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(grant["verification_uri"], expected);
        let complete = grant["verification_uri_complete"].as_str().unwrap();
        assert!(complete.starts_with(expected), "{complete}");
        assert!(!complete.contains("evil"), "{complete}");
    }
}
