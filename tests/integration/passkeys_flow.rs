//! Passkeys end to end through the real server with a software authenticator (both engines):
//! adding one, signing in with it alone, a valid assertion finished in parallel or replayed, and
//! step-up at the passkey before a sensitive action.

use crate::support::*;
use active_sessions_api::paths;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

pub const ORIGIN: &str = "http://localhost:3999";

async fn app() -> TestApp {
    TestApp::spawn(TestOptions::default().setting("PUBLIC_URL", ORIGIN)).await
}

pub async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> Response {
    let request = match token {
        Some(token) => app.with_cookie(Method::POST, path, token),
        None => app.request(Method::POST, path),
    };
    request.json(&body).send().await.unwrap()
}

pub async fn started(response: Response) -> (String, Value) {
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    (
        body["ceremony"].as_str().unwrap().to_owned(),
        body["options"].clone(),
    )
}

/// Registers a software passkey on the account of session `token` (fresh: no step-up needed):
/// the passkey and the answer of `…/register/finish`.
pub async fn register_passkey(app: &TestApp, token: &str) -> (SoftPasskey, Response) {
    let mut passkey = SoftPasskey::new(ORIGIN);
    let start = post(app, paths::PASSKEY_REGISTER_START, Some(token), json!({})).await;
    let (ceremony, options) = started(start).await;
    let credential = passkey.register(&options);
    let body = json!({ "ceremony": ceremony, "credential": credential, "name": "Soft key" });
    let finish = post(app, paths::PASSKEY_REGISTER_FINISH, Some(token), body).await;
    (passkey, finish)
}

/// Adds a software passkey that is not the account's first second factor (or on a server that
/// cannot make recovery codes): 204.
pub async fn add_passkey(app: &TestApp, token: &str) -> SoftPasskey {
    let (passkey, finish) = register_passkey(app, token).await;
    assert_eq!(finish.status(), StatusCode::NO_CONTENT);
    passkey
}

/// A login ceremony and the passkey's answer to it.
pub async fn login_assertion(app: &TestApp, passkey: &mut SoftPasskey) -> Value {
    let (ceremony, options) =
        started(post(app, paths::PASSKEY_LOGIN_START, None, json!({})).await).await;
    assert!(
        options["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );
    json!({ "ceremony": ceremony, "credential": passkey.assert(&options) })
}

/// `mfa_factors` of the caller's own session, from `details`.
pub async fn own_factors(app: &TestApp, token: &str) -> Value {
    app.own_details(token).await["mfa_factors"].clone()
}

async fn live_sessions(app: &TestApp) -> i64 {
    let sql = "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL AND $1 = $1";
    app.scalar_i64(sql, "").await
}

// SEC-58
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_signs_in_alone_as_a_second_factor_session() {
    let app = app().await;
    let me = app.signed_in("passkey@example.com").await;
    let mut passkey = add_passkey(&app, &me.token).await;
    let body = login_assertion(&app, &mut passkey).await;
    let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = session_cookie(&response, app.cookie_name()).expect("a session cookie");
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["redirect"], "/settings/sessions");
    let current = app.own_details(&token).await;
    assert_eq!(current["mfa_factors"], json!(["webauthn"]));
    assert_eq!(current["sign_in_method"], "passkey");
    let html = app.page_text("/settings/sessions", &token).await;
    assert!(html.contains("Passkey · phishing-resistant"), "{html}");
    // The user-verification flag is required: a device without a screen lock is refused.
    passkey.verified = false;
    let body = login_assertion(&app, &mut passkey).await;
    let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

// SEC-55
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_valid_assertion_finished_in_parallel_or_replayed_signs_in_once() {
    let app = app().await;
    let me = app.signed_in("parallel@example.com").await;
    let mut passkey = add_passkey(&app, &me.token).await;
    let body = login_assertion(&app, &mut passkey).await;
    let before = live_sessions(&app).await;
    let statuses = app
        .post_json_in_parallel(paths::PASSKEY_LOGIN_FINISH, &body, 8)
        .await;
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::BAD_REQUEST)
    );
    assert_eq!(live_sessions(&app).await, before + 1);
    // The same answer to a new ceremony: its challenge is another one.
    let (ceremony, _) =
        started(post(&app, paths::PASSKEY_LOGIN_START, None, json!({})).await).await;
    let replay = json!({ "ceremony": ceremony, "credential": body["credential"] });
    let response = post(&app, paths::PASSKEY_LOGIN_FINISH, None, replay).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(live_sessions(&app).await, before + 1);
}

// SEC-57
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_passkey_step_up_asks_for_it_not_the_password() {
    let app = app().await;
    let me = app.signed_in("stepup-passkey@example.com").await;
    let mut passkey = add_passkey(&app, &me.token).await;
    // A password session: it never proved the passkey.
    let other = app.login("stepup-passkey@example.com").await;
    let password = json!({ "password": PASSWORD });
    let refused = post(
        &app,
        paths::REVOKE_OTHERS,
        Some(&other.token),
        password.clone(),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "step_up_required");
    assert_eq!(body["error"]["method"], "webauthn");
    // Adding or removing a factor is refused the same way.
    let add = post(
        &app,
        paths::PASSKEY_REGISTER_START,
        Some(&other.token),
        password,
    )
    .await;
    assert_eq!(add.status(), StatusCode::FORBIDDEN);
    let remove = json!({ "id": 1, "sign_out_others": false });
    let remove = post(&app, paths::PASSKEY_REMOVE, Some(&other.token), remove).await;
    assert_eq!(remove.status(), StatusCode::FORBIDDEN);
    // Prove the passkey on that session; then the action goes through.
    let start = post(
        &app,
        paths::PASSKEY_STEP_UP_START,
        Some(&other.token),
        json!({}),
    )
    .await;
    let (ceremony, options) = started(start).await;
    let body = json!({ "ceremony": ceremony, "credential": passkey.assert(&options) });
    let finish = post(
        &app,
        paths::PASSKEY_STEP_UP_FINISH,
        Some(&other.token),
        body.clone(),
    )
    .await;
    assert_eq!(finish.status(), StatusCode::NO_CONTENT);
    // That session had proved the password alone; now it has proved two factors and says so.
    // Adding the passkey did not raise the session that added it.
    assert_eq!(
        own_factors(&app, &other.token).await,
        json!(["password", "webauthn"])
    );
    assert_eq!(own_factors(&app, &me.token).await, json!(["password"]));
    let again = post(
        &app,
        paths::PASSKEY_STEP_UP_FINISH,
        Some(&other.token),
        body,
    )
    .await;
    assert_eq!(
        again.status(),
        StatusCode::BAD_REQUEST,
        "a step-up ceremony is single use"
    );
    let done = post(&app, paths::REVOKE_OTHERS, Some(&other.token), json!({})).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let gone = app
        .with_cookie(Method::GET, paths::SESSIONS, &me.token)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    // Removing it (another account's id, or a wrong one, is not found), then the password is
    // the strongest factor again.
    let id = app
        .scalar_i64("SELECT id FROM passkeys WHERE $1 = $1", "")
        .await;
    let wrong = json!({ "id": id + 1, "sign_out_others": false });
    let wrong = post(&app, paths::PASSKEY_REMOVE, Some(&other.token), wrong).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let remove = json!({ "id": id, "sign_out_others": true });
    let removed = post(&app, paths::PASSKEY_REMOVE, Some(&other.token), remove).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let left = "SELECT COUNT(*) FROM passkeys WHERE $1 = $1";
    assert_eq!(app.scalar_i64(left, "").await, 0);
    // Past the window the password is asked for again, not a passkey.
    app.clock.advance(16 * 60);
    let stale = post(&app, paths::REVOKE_OTHERS, Some(&other.token), json!({})).await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(stale).await, "reauth_required");
}

// SEC-58
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_finishes_a_pending_second_step_on_the_login_page() {
    let options = TestOptions::default().setting("PUBLIC_URL", ORIGIN);
    let two = crate::two_step::Enrolled::spawn(options, "second-step-passkey@example.com").await;
    let me = crate::step_up::sign_in(&two).await;
    let mut passkey = add_passkey(&two.app, &me).await;
    let pending = two.password_step().await;
    assert_eq!(
        two.failures().await,
        1,
        "the password step counts until the second step"
    );
    let body = login_assertion(&two.app, &mut passkey).await;
    let name = active_sessions::auth::cookie::pending_name(&two.app.state.config);
    let response = two
        .app
        .request(Method::POST, paths::pages::LOGIN_PASSKEY)
        .header(reqwest::header::COOKIE, format!("{name}={pending}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(session_cookie(&response, two.app.cookie_name()).is_some());
    assert_eq!(
        two.failures().await,
        0,
        "completed: the password step is forgiven"
    );
    // The pending sign-in was taken with it: it cannot be finished a second time with a code.
    two.app.clock.advance(30);
    let late = two.send_code(&pending, &two.code()).await;
    assert_eq!(late.status(), StatusCode::BAD_REQUEST);
}

// SEC-54: turning the app off drops only the sessions that proved the app or a recovery code; a
// session signed in with a passkey keeps what it proved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_the_app_off_leaves_passkey_sessions_as_they_are() {
    let options = TestOptions::default().setting("PUBLIC_URL", ORIGIN);
    let two = crate::two_step::Enrolled::spawn(options, "app-off-passkey@example.com").await;
    let me = crate::step_up::sign_in(&two).await;
    let mut passkey = add_passkey(&two.app, &me).await;
    let body = login_assertion(&two.app, &mut passkey).await;
    let response = post(&two.app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = session_cookie(&response, two.app.cookie_name()).expect("a session cookie");
    assert_eq!(own_factors(&two.app, &token).await, json!(["webauthn"]));
    // `me` proved the app and the passkey just now: it may turn the app off.
    let off = crate::step_up::server_fn(&two.app, &me, paths::server_fns::TURN_OFF_TOTP, &[]).await;
    assert!(
        off.status().is_success() || off.status().is_redirection(),
        "{}",
        off.status()
    );
    assert_eq!(own_factors(&two.app, &me).await, json!(["password"]));
    assert_eq!(own_factors(&two.app, &token).await, json!(["webauthn"]));
}
