//! Naming sessions: `PATCH /api/v1/auth/sessions/{id}` with `{"label": …}`, and the page's form.

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, Response, StatusCode, header};
use serde_json::{Value, json};

async fn rename(app: &TestApp, token: &str, id: &str, body: Value) -> Response {
    app.request(Method::PATCH, &paths::session(id))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_is_set_returned_and_cleared() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("rename@example.com").await;
    let other = app.login("rename@example.com").await;

    let response = rename(
        &app,
        &me.token,
        &other.public_id,
        json!({"label": "  Work laptop "}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let detail: Value = response.json().await.unwrap();
    assert_eq!(detail["label"], "Work laptop", "trimmed");
    assert_eq!(detail["id"], other.public_id.as_str());
    assert!(detail["name"].is_string());
    // The detail carries it; the list entries stay exactly as the schema says.
    let fetched: Value = app
        .get_json(&paths::session(&other.public_id), &me.token)
        .await;
    assert_eq!(fetched["label"], "Work laptop");
    for entry in app.list_json(&me.token).await {
        assert!(entry.get("label").is_none(), "{entry}");
    }
    // The detailed list (what the page and `sessions list` show) carries it, in one request.
    let details: Vec<Value> = app.get_json(paths::SESSIONS_DETAILS, &me.token).await;
    assert_eq!(details.len(), 2);
    assert_eq!(details[0]["is_current"], true, "this device first");
    let named = details
        .iter()
        .find(|d| d["id"] == other.public_id.as_str())
        .unwrap();
    assert_eq!(named["label"], "Work laptop");

    let cleared: Value = rename(&app, &me.token, &other.public_id, json!({"label": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["label"], Value::Null);
    let emptied: Value = rename(&app, &me.token, &me.public_id, json!({"label": "   "}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(emptied["label"], Value::Null, "blank clears");
    assert_eq!(emptied["is_current"], true, "this device can be named too");
}

// SEC-23: control and bidi characters, over-long names and wrong types are refused with the
// usual error body, and nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_labels_are_refused_and_change_nothing() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("badlabel@example.com").await;
    rename(&app, &me.token, &me.public_id, json!({"label": "Kept"})).await;
    for body in [
        json!({"label": "a".repeat(65)}),
        json!({"label": "evil\u{202E}gpj.exe"}),
        json!({"label": "two\nlines"}),
        json!({"label": 42}),
    ] {
        let response = rename(&app, &me.token, &me.public_id, body.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(response).await, "invalid_input", "{body}");
    }
    let response = app
        .request(Method::PATCH, &paths::session(&me.public_id))
        .bearer_auth(&me.token)
        .header(header::CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let detail: Value = app
        .get_json(&paths::session(&me.public_id), &me.token)
        .await;
    assert_eq!(detail["label"], "Kept");
}

// SEC-18: another user's, unknown, malformed and ended sessions are all the same 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_your_own_live_sessions_can_be_named() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("owner@example.com").await;
    let theirs = app.signed_in("other@example.com").await;
    let ended = app.login("owner@example.com").await;
    app.delete_session(&me.token, &ended.public_id).await;
    for id in [
        theirs.public_id.as_str(),
        ended.public_id.as_str(),
        &random_public_id(),
        "abc",
        "%27%20OR%201%3D1--",
    ] {
        let response = rename(&app, &me.token, id, json!({"label": "Mine now"})).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{id}");
    }
    let untouched = app
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE label IS NOT NULL AND public_id <> $1",
            "",
        )
        .await;
    assert_eq!(untouched, 0);
    let anonymous = app
        .request(Method::PATCH, &paths::session(&me.public_id))
        .json(&json!({"label": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

// SEC-24: a cross-site PATCH with the cookie is refused before it reaches the handler.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_rename_is_refused() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("csrf-rename@example.com").await;
    let response = app
        .with_cookie(Method::PATCH, &paths::session(&me.public_id), &me.token)
        .header(header::ORIGIN, "https://evil.example")
        .json(&json!({"label": "pwned"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM sessions WHERE label = $1", "pwned")
            .await,
        0
    );
}

/// The page's form (no JavaScript): a POST of `label` to the rename server function.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_form_renames_without_javascript() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("form-rename@example.com").await;
    let response = app
        .with_cookie(Method::POST, server_fns::RENAME, &me.token)
        .header(header::ORIGIN, &app.base)
        .header(header::ACCEPT, "text/html")
        .form(&[
            ("id", me.public_id.as_str()),
            ("label", "Desk PC"),
            ("kind", "web"),
        ])
        .send()
        .await
        .unwrap();
    assert_redirect(&response, "/settings/sessions?kind=web");
    let page = app.page_text(pages::SESSIONS, &me.token).await;
    assert!(page.contains("Desk PC"), "the label is the row's title");
}
