//! Passkeys (WebAuthn, issue 23) through the real server, on both engines: what a hostile or
//! replaying client can do without an authenticator. A ceremony finishes at most once (even when
//! finished in parallel), not after five minutes, and only by the session that started it; a
//! credential that is not WebAuthn JSON is a clear 400 that spends and creates nothing; an
//! unknown credential signs nobody in. (The happy path, with Chromium's virtual authenticator,
//! is in end2end/tests/passkeys.spec.ts.)

use crate::support::*;
use active_sessions_api::paths;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

/// WebAuthn needs a domain: the relying party is `localhost` (the tests speak to 127.0.0.1
/// directly, and no browser checks the origin here).
async fn app() -> TestApp {
    TestApp::spawn(TestOptions::default().setting("PUBLIC_URL", "http://localhost:3999")).await
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> Response {
    let request = match token {
        Some(token) => app.with_cookie(Method::POST, path, token),
        None => app.request(Method::POST, path),
    };
    request.json(&body).send().await.unwrap()
}

/// A login ceremony's handle.
async fn login_start(app: &TestApp) -> String {
    let response = post(app, paths::PASSKEY_LOGIN_START, None, json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["options"]["publicKey"]["challenge"].is_string(),
        "{body}"
    );
    assert!(
        body["options"].get("mediation").is_none_or(Value::is_null),
        "a button, not autofill: {body}"
    );
    body["ceremony"].as_str().unwrap().to_owned()
}

/// An assertion shaped as a browser sends it, for a credential no account has.
fn unknown_assertion() -> Value {
    let b64 = |bytes: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    json!({
        "id": b64(&[7; 32]),
        "rawId": b64(&[7; 32]),
        "type": "public-key",
        "response": {
            "authenticatorData": b64(&[0; 37]),
            "clientDataJSON": b64(br#"{"type":"webauthn.get","challenge":"x","origin":"http://localhost:3999"}"#),
            "signature": b64(&[1; 70]),
            "userHandle": b64(&[9; 16]),
        },
        "clientExtensionResults": {},
    })
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.scalar_i64(sql, "").await
}

// SEC-55
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ceremony_finishes_at_most_once_even_in_parallel() {
    let app = app().await;
    let ceremony = login_start(&app).await;
    let body = json!({ "ceremony": ceremony, "credential": unknown_assertion() });
    let statuses = app
        .post_json_in_parallel(paths::PASSKEY_LOGIN_FINISH, &body, 8)
        .await;
    // Exactly one request took the ceremony (and was refused for its credential); every other
    // one found it gone.
    let took = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let gone = statuses
        .iter()
        .filter(|s| **s == StatusCode::BAD_REQUEST)
        .count();
    assert_eq!((took, gone), (1, 7), "{statuses:?}");
    let left = "SELECT COUNT(*) FROM webauthn_ceremonies WHERE $1 = $1";
    assert_eq!(count(&app, left).await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM sessions WHERE $1 = $1").await,
        0
    );
}

// SEC-55
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_or_unknown_ceremony_is_refused() {
    let app = app().await;
    let ceremony = login_start(&app).await;
    app.clock.advance(5 * 60 + 1);
    let body = json!({ "ceremony": ceremony, "credential": unknown_assertion() });
    let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let message = response.json::<Value>().await.unwrap()["error"]["message"].clone();
    assert!(message.as_str().unwrap().contains("expired"), "{message}");
    for handle in ["", "not-a-ceremony", &"A".repeat(43), &"é".repeat(300)] {
        let body = json!({ "ceremony": handle, "credential": unknown_assertion() });
        let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{handle}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM sessions WHERE $1 = $1").await,
        0
    );
}

// SEC-56
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_credential_is_a_clear_400_and_spends_nothing() {
    let app = app().await;
    let ceremony = login_start(&app).await;
    let hostile = [
        json!("<script>alert(1)</script>"),
        json!({}),
        json!(null),
        json!([1, 2, 3]),
        json!({ "id": "x", "rawId": "!!not base64!!", "type": "public-key", "response": {} }),
        json!({ "id": "x", "rawId": "AA", "type": "public-key",
                "response": { "authenticatorData": 5, "clientDataJSON": "\u{202e}", "signature": "" } }),
    ];
    for credential in hostile {
        let body = json!({ "ceremony": ceremony, "credential": credential });
        let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{credential}");
        assert_eq!(error_code(response).await, "invalid_input");
    }
    for raw in ["", "{", "[]", r#"{"ceremony": 1}"#] {
        let response = app
            .request(Method::POST, paths::PASSKEY_LOGIN_FINISH)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{raw}");
    }
    // None of them spent the ceremony: it is still there for the real answer.
    let body = json!({ "ceremony": ceremony, "credential": unknown_assertion() });
    let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM sessions WHERE $1 = $1").await,
        0
    );

    // Adding a passkey: the same for a signed-in session, and no passkey is stored.
    let me = app.signed_in("hostile@example.com").await;
    let start = post(
        &app,
        paths::PASSKEY_REGISTER_START,
        Some(&me.token),
        json!({}),
    )
    .await;
    assert_eq!(start.status(), StatusCode::OK);
    let options: Value = start.json().await.unwrap();
    let ceremony = options["ceremony"].as_str().unwrap();
    for credential in [
        json!({}),
        json!({ "id": "x", "rawId": "AA", "type": "public-key",
        "response": { "attestationObject": "AA", "clientDataJSON": "AA" } }),
    ] {
        let body = json!({ "ceremony": ceremony, "credential": credential });
        let response = post(&app, paths::PASSKEY_REGISTER_FINISH, Some(&me.token), body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{credential}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM passkeys WHERE $1 = $1").await,
        0
    );
}

// SEC-58
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_credential_signs_nobody_in() {
    let app = app().await;
    app.create_user("someone@example.com").await;
    let ceremony = login_start(&app).await;
    let body = json!({ "ceremony": ceremony, "credential": unknown_assertion() });
    let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        set_cookies(&response)
            .iter()
            .all(|c| !c.starts_with("session="))
    );
    assert_eq!(error_code(response).await, "invalid_credentials");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM sessions WHERE $1 = $1").await,
        0
    );
}

// SEC-57
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_a_passkey_needs_step_up_and_its_ceremony_stays_with_its_session() {
    let app = app().await;
    let me = app.signed_in("stepup@example.com").await;
    let other = app.login("stepup@example.com").await;
    app.clock.advance(16 * 60);
    let stale = post(
        &app,
        paths::PASSKEY_REGISTER_START,
        Some(&me.token),
        json!({}),
    )
    .await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(stale).await, "reauth_required");
    // The password field next to "Add a passkey" is in no form: Enter cannot send it anywhere.
    let html = app.page_text("/settings/security", &me.token).await;
    assert!(html.contains(r#"id="passkey-password""#), "{html}");
    let add = html.find(r#"id="add-passkey-form""#).unwrap();
    let tag_start = html[..add].rfind('<').unwrap();
    assert!(
        html[tag_start..].starts_with("<div"),
        "{}",
        &html[tag_start..add]
    );
    let proofs = json!({ "password": PASSWORD });
    let start = post(&app, paths::PASSKEY_REGISTER_START, Some(&me.token), proofs).await;
    assert_eq!(start.status(), StatusCode::OK);
    let started: Value = start.json().await.unwrap();
    let public_key = &started["options"]["publicKey"];
    assert_eq!(public_key["rp"]["id"], "localhost");
    assert_eq!(
        public_key["authenticatorSelection"]["userVerification"],
        "required"
    );
    // Another session of the same account cannot finish it, and trying does not spend it.
    let ceremony = started["ceremony"].as_str().unwrap();
    let credential = json!({ "id": "AA", "rawId": "AA", "type": "public-key",
        "response": { "attestationObject": "AA", "clientDataJSON": "AA" } });
    let body = json!({ "ceremony": ceremony, "credential": credential });
    let response = post(
        &app,
        paths::PASSKEY_REGISTER_FINISH,
        Some(&other.token),
        body,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let left = "SELECT COUNT(*) FROM webauthn_ceremonies WHERE purpose = 'register' AND $1 = $1";
    assert_eq!(count(&app, left).await, 1);
    let anonymous = post(&app, paths::PASSKEY_REGISTER_START, None, json!({})).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // No passkey on the account: nothing to step up with.
    let step_up = post(
        &app,
        paths::PASSKEY_STEP_UP_START,
        Some(&me.token),
        json!({}),
    )
    .await;
    assert_eq!(step_up.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_domain_passkeys_are_off_and_say_so() {
    // The default test server has no PUBLIC_URL; an IP address is refused by WebAuthn too.
    for app in [
        TestApp::spawn(TestOptions::default()).await,
        TestApp::spawn(TestOptions::default().setting("PUBLIC_URL", "http://127.0.0.1:3999")).await,
    ] {
        let response = post(&app, paths::PASSKEY_LOGIN_START, None, json!({})).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("unavailable")
        );
        let me = app.signed_in("nodomain@example.com").await;
        let html = app.page_text("/settings/security", &me.token).await;
        assert!(
            html.contains("Passkeys are unavailable on this server"),
            "{html}"
        );
    }
}
