//! "Recently ended": `GET /api/v1/auth/sessions/ended` and the page's section, for every way a
//! session ends, with refused presentations of ended tokens counted, and the purge after 30 days.

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

const FIREFOX: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async fn ended(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get_with_cookie(paths::SESSIONS_ENDED, token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn entry<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list:?}"))
}

// SEC-16: only the caller's own ended sessions, each with how and by whom.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_way_of_ending_is_listed_with_how_and_by_whom() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("MAX_SESSIONS_PER_USER", "4")])).await;
    app.create_user("ended@example.com").await;
    app.create_user("someone@example.com").await;
    let me = app
        .login_with(LoginRequest::new("ended@example.com").user_agent(FIREFOX))
        .await;
    let revoked = app
        .login_with(LoginRequest::new("ended@example.com").user_agent(CHROME))
        .await;
    let signed_out = app.login("ended@example.com").await;
    let not_me = app.login("ended@example.com").await;
    let theirs = app.login("someone@example.com").await;
    app.delete_session(&theirs.token, &theirs.public_id).await;

    app.delete_session(&me.token, &revoked.public_id).await;
    app.delete_session(
        &signed_out.token,
        &format!("{}?confirm_current=true", signed_out.public_id),
    )
    .await;
    let press = app
        .with_cookie(Method::POST, server_fns::REVOKE, &me.token)
        .header(header::ORIGIN, &app.base)
        .form(&[("id", not_me.public_id.as_str()), ("not_me", "true")])
        .send()
        .await
        .unwrap();
    assert!(press.status().is_redirection() || press.status().is_success());
    // Past the cap of 4 live sessions: the least recently used is evicted.
    let a = app.login("ended@example.com").await;
    let b = app.login("ended@example.com").await;
    let c = app.login("ended@example.com").await;
    let d = app.login("ended@example.com").await;

    let list = ended(&app, &d.token).await;
    assert!(
        list.iter().all(|e| e["id"] != theirs.public_id),
        "another user's session listed"
    );
    let r = entry(&list, &revoked.public_id);
    assert_eq!(r["ended_reason"], "revoked");
    assert_eq!(r["ended_by"], "Firefox 132 on Ubuntu");
    assert_eq!(r["name"], "Chrome 131 on Windows 10");
    assert_eq!(
        entry(&list, &signed_out.public_id)["ended_reason"],
        "signed_out"
    );
    assert_eq!(entry(&list, &signed_out.public_id)["ended_by"], Value::Null);
    assert_eq!(entry(&list, &not_me.public_id)["ended_reason"], "not_me");
    assert_eq!(entry(&list, &me.public_id)["ended_reason"], "evicted");
    for live in [&a, &b, &c, &d] {
        assert!(
            list.iter().all(|e| e["id"] != live.public_id),
            "a live session is listed"
        );
    }
    // Newest first.
    let times: Vec<&str> = list
        .iter()
        .map(|e| e["ended_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(times, sorted);

    // "Sign out all other sessions" and idle expiry.
    let before = app.login("ended@example.com").await;
    app.request(Method::POST, paths::REVOKE_OTHERS)
        .bearer_auth(&d.token)
        .json(&serde_json::json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let list = ended(&app, &d.token).await;
    assert_eq!(
        entry(&list, &before.public_id)["ended_reason"],
        "revoked_others"
    );
    app.clock.advance(8 * 24 * 3600);
    assert_eq!(app.status_of(&d.token).await, StatusCode::UNAUTHORIZED);
    let now_live = app.login("ended@example.com").await;
    let list = ended(&app, &now_live.token).await;
    assert_eq!(entry(&list, &d.public_id)["ended_reason"], "idle");
}

/// A token presented again after its session ended is refused, and the refusals are counted
/// (without an extra query on the path of valid tokens).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_presentations_of_an_ended_token_are_counted() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("refused@example.com").await;
    let stolen = app.login("refused@example.com").await;
    app.delete_session(&me.token, &stolen.public_id).await;
    app.clock.advance(120);
    // Counted at most once a second per session (a replay cannot become a stream of writes).
    for _ in 0..3 {
        for _ in 0..2 {
            assert_eq!(
                app.bearer_status(&stolen.token).await,
                StatusCode::UNAUTHORIZED
            );
        }
        app.clock.advance(1);
    }
    let list = ended(&app, &me.token).await;
    let e = entry(&list, &stolen.public_id);
    assert_eq!(e["refused_after"], 3);
    assert!(e["last_refused_at"].is_string());

    let page = app.page_text(pages::SESSIONS, &me.token).await;
    assert!(
        page.contains("Recently ended"),
        "the section is on the page"
    );
    assert!(
        page.contains("Tried again 3 times, the last 2 minutes later, all refused"),
        "{page}"
    );

    // The path of a valid token is still one lookup: the same number of database uses as before.
    let before = app.state.db.uses();
    assert_eq!(app.status_of(&me.token).await, StatusCode::OK);
    let valid = app.state.db.uses() - before;
    let before = app.state.db.uses();
    assert_eq!(app.status_of(&stolen.token).await, StatusCode::UNAUTHORIZED);
    let refused = app.state.db.uses() - before;
    assert!(valid >= 2, "lookup and list: {valid}");
    assert_eq!(refused, 2, "lookup and the refusal count");
}

/// Ended sessions are kept 30 days, then purged (at start-up and hourly).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_sessions_are_purged_after_30_days() {
    let app = TestApp::spawn(TestOptions::default().session_timeouts(7776000, 7776000)).await;
    let me = app.signed_in("purge-ended@example.com").await;
    let old = app.login("purge-ended@example.com").await;
    app.delete_session(&me.token, &old.public_id).await;
    assert_eq!(ended(&app, &me.token).await.len(), 1);
    app.clock.advance(31 * 24 * 3600);
    assert!(
        ended(&app, &me.token).await.is_empty(),
        "older than 30 days: not listed"
    );
    let app = app.restart().await;
    app.wait_until_purged(&old.public_id).await;
    assert_eq!(app.status_of(&me.token).await, StatusCode::OK);
}

/// "Sign out unused sessions": only the caller's other sessions unused for 30 days or more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unused_sessions_are_signed_out_together_but_never_this_device() {
    let app = TestApp::spawn(TestOptions::default().session_timeouts(7776000, 10368000)).await;
    let me = app.signed_in("unused@example.com").await;
    let old = [
        app.login("unused@example.com").await,
        app.login("unused@example.com").await,
    ];
    let recent = app.login("unused@example.com").await;
    app.clock.advance(31 * 24 * 3600);
    assert_eq!(app.status_of(&recent.token).await, StatusCode::OK);
    let response = app
        .with_cookie(Method::POST, server_fns::SIGN_OUT_UNUSED, &me.token)
        .header(header::ORIGIN, &app.base)
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_redirect(&response, "/settings/sessions?signed_out=2");
    for s in &old {
        assert_eq!(app.status_of(&s.token).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.status_of(&me.token).await, StatusCode::OK);
    assert_eq!(app.status_of(&recent.token).await, StatusCode::OK);
    let list = ended(&app, &me.token).await;
    assert_eq!(entry(&list, &old[0].public_id)["ended_reason"], "unused");
}
