//! The JSON sessions API: list, detail, immediate revocation and revoke-others.

use crate::support::*;
use active_sessions_api::paths::{self, pages};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;
use std::collections::BTreeSet;

fn summary_schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/session-summary.schema.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema JSON")
}

/// SHA-256 of a token in the encodings a careless API might leak it in.
fn hash_forms(token: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    vec![
        digest.iter().map(|b| format!("{b:02x}")).collect(),
        digest.iter().map(|b| format!("{b:02X}")).collect(),
        base64::engine::general_purpose::STANDARD.encode(digest),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest),
    ]
}

// SEC-03
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_entries_match_the_shared_schema_and_carry_no_secrets() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("schema@example.com").await;
    // One session with a user agent, one without, one CLI session.
    let response = app
        .request(Method::POST, pages::LOGIN)
        .header(header::ACCEPT, "application/json")
        .header(
            header::USER_AGENT,
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        )
        .form(&[("email", "schema@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let browser = session_cookie(&response, app.cookie_name()).unwrap();
    let login_body = response.text().await.unwrap();
    assert!(
        !login_body.contains(&browser),
        "the login body does not repeat the token"
    );
    let bare = app.login("schema@example.com").await;
    let cli_token = app.cli_token(&browser).await;
    let tokens = [browser.clone(), bare.token.clone(), cli_token.clone()];

    let schema = summary_schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let schema_keys: BTreeSet<String> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let required: BTreeSet<String> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();

    // `GET path` as the client holding `token` sends it (the CLI as bearer, browsers by cookie).
    let get_as = |path: String, token: &str, bearer: bool| {
        let request = app.request(Method::GET, &path);
        let request = if bearer {
            request.bearer_auth(token)
        } else {
            request.header(header::COOKIE, app.cookie(token))
        };
        async move { request.send().await.unwrap() }
    };
    for (token, bearer) in [(&browser, false), (&bare.token, false), (&cli_token, true)] {
        let response = get_as(paths::SESSIONS.to_owned(), token, bearer).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            header_str(&response, "content-type")
                .unwrap()
                .starts_with("application/json")
        );
        let text = response.text().await.unwrap();
        for secret in &tokens {
            assert!(!text.contains(secret.as_str()), "list leaks a token");
            for form in hash_forms(secret) {
                assert!(!text.contains(&form), "list leaks a token hash");
            }
        }
        let list: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(list.len(), 3);
        for entry in &list {
            if let Err(error) = validator.validate(entry) {
                panic!("{entry} does not match the schema: {error}");
            }
            let keys: BTreeSet<String> = entry.as_object().unwrap().keys().cloned().collect();
            assert_eq!(keys, schema_keys, "exactly the schema's keys: {entry}");
            assert!(required.is_subset(&keys));
            for stamp in ["created_at", "expires_at"] {
                let value = entry[stamp].as_str().unwrap();
                assert!(
                    time::OffsetDateTime::parse(
                        value,
                        &time::format_description::well_known::Rfc3339
                    )
                    .is_ok(),
                    "{stamp} is RFC 3339: {value}"
                );
            }
        }
        assert_eq!(list.iter().filter(|e| e["is_current"] == true).count(), 1);
        let kinds: BTreeSet<&str> = list.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, BTreeSet::from(["web", "cli"]));
        assert!(
            list.iter().any(|e| e["user_agent"].is_null()),
            "no UA sent gives null"
        );

        // The detail of every entry carries no secret either.
        for entry in &list {
            let id = entry["id"].as_str().unwrap();
            let response = get_as(paths::session(id), token, bearer).await;
            assert_eq!(response.status(), StatusCode::OK);
            let detail = response.text().await.unwrap();
            for secret in &tokens {
                assert!(!detail.contains(secret.as_str()), "detail leaks a token");
                for form in hash_forms(secret) {
                    assert!(!detail.contains(&form), "detail leaks a token hash");
                }
            }
        }
    }

    // The public id is not a credential.
    for entry in app.list_json(&browser).await {
        let id = entry["id"].as_str().unwrap();
        assert_eq!(
            app.status_of(id).await,
            StatusCode::UNAUTHORIZED,
            "public id as cookie"
        );
        assert_eq!(
            app.bearer_status(id).await,
            StatusCode::UNAUTHORIZED,
            "public id as bearer"
        );
    }
    assert_eq!(
        app.status_of(&bare.public_id).await,
        StatusCode::UNAUTHORIZED
    );
}

// SEC-12
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_is_immediate() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let a = app.signed_in("immediate@example.com").await;
    let b = app.login("immediate@example.com").await;
    // A is in active use, as cookie and as bearer.
    assert_eq!(app.status_of(&a.token).await, StatusCode::OK);
    assert_eq!(app.bearer_status(&a.token).await, StatusCode::OK);

    let response = app.delete_session(&b.token, &a.public_id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        set_cookies(&response).is_empty(),
        "revoking another session leaves B's cookie alone"
    );
    // No sleep: the very next request with A is refused, by every route.
    assert_eq!(app.status_of(&a.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.bearer_status(&a.token).await, StatusCode::UNAUTHORIZED);
    let page = app.get_with_cookie(pages::SESSIONS, &a.token).await;
    assert!(page.status().is_redirection());
    assert_eq!(app.status_of(&b.token).await, StatusCode::OK);
    let ids: Vec<String> = app
        .list_json(&b.token)
        .await
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, vec![b.public_id.clone()]);
    // A second revoke of the same id: 404.
    assert_eq!(
        app.delete_session(&b.token, &a.public_id).await.status(),
        StatusCode::NOT_FOUND
    );
}

// SEC-16
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_list_only_their_own_live_sessions() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let a1 = app.signed_in("alice@example.com").await;
    let a2 = app.login("alice@example.com").await;
    let a3 = app.login("alice@example.com").await;
    let b1 = app.signed_in("bob@example.com").await;
    let b2 = app.login("bob@example.com").await;
    // A revoked session of Alice's is no longer listed.
    assert_eq!(
        app.delete_session(&a1.token, &a3.public_id).await.status(),
        StatusCode::NO_CONTENT
    );

    for (me, mine, theirs) in [
        (&a1, vec![&a1, &a2], vec![&b1, &b2, &a3]),
        (&a2, vec![&a1, &a2], vec![&b1, &b2, &a3]),
        (&b1, vec![&b1, &b2], vec![&a1, &a2, &a3]),
        (&b2, vec![&b1, &b2], vec![&a1, &a2, &a3]),
    ] {
        let list = app.list_json(&me.token).await;
        let ids: BTreeSet<&str> = list.iter().map(|e| e["id"].as_str().unwrap()).collect();
        let expected: BTreeSet<&str> = mine.iter().map(|l| l.public_id.as_str()).collect();
        assert_eq!(ids, expected);
        for other in theirs {
            assert!(!ids.contains(other.public_id.as_str()));
        }
        let current: Vec<&Value> = list.iter().filter(|e| e["is_current"] == true).collect();
        assert_eq!(current.len(), 1, "exactly one current");
        assert_eq!(current[0]["id"], me.public_id.as_str());
        assert_eq!(list[0]["id"], me.public_id.as_str(), "this device first");
    }
    // The detail endpoint is scoped the same way.
    let response = app
        .get_with_cookie(&paths::session(&a1.public_id), &b1.token)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .get_with_cookie(&paths::session(&b2.public_id), &b1.token)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let detail: Value = response.json().await.unwrap();
    assert_eq!(detail["is_current"], false);
}

// SEC-17
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoke_others_requires_recent_authentication() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("REAUTH_WINDOW_SECS", "60")])).await;
    let me = app.signed_in("reauth@example.com").await;
    let other1 = app.login("reauth@example.com").await.token;
    let other2 = app.login("reauth@example.com").await.token;
    let revoke_others = |body: Option<Value>| {
        let app = &app;
        let token = me.token.clone();
        async move {
            let request = app.with_cookie(Method::POST, paths::REVOKE_OTHERS, &token);
            let request = match body {
                Some(body) => request.json(&body),
                None => request,
            };
            request.send().await.unwrap()
        }
    };

    app.clock.advance(120);
    let response = revoke_others(None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(response).await, "reauth_required");
    let response = revoke_others(Some(serde_json::json!({}))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = revoke_others(Some(serde_json::json!({ "password": "" }))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = revoke_others(Some(serde_json::json!({ "password": "wrong password" }))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_credentials");
    assert_eq!(
        app.status_of(&other1).await,
        StatusCode::OK,
        "nothing ended yet"
    );
    assert_eq!(app.status_of(&other2).await, StatusCode::OK);

    let response = revoke_others(Some(serde_json::json!({ "password": PASSWORD }))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.status_of(&other1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&other2).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.status_of(&me.token).await,
        StatusCode::OK,
        "this session continues"
    );
    let list = app.list_json(&me.token).await;
    assert_eq!(list.len(), 1);

    // The re-authentication counts as recent: within the window no password is needed.
    let third = app.login("reauth@example.com").await.token;
    let response = revoke_others(None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.status_of(&third).await, StatusCode::UNAUTHORIZED);
}
