//! A passkey as the second step of a password sign-in (both engines, software authenticator):
//! the account's first passkey comes with recovery codes and from then on the password alone
//! starts nothing; without recovery codes (a server without `SECRETS_KEY`) a passkey stays
//! another way to sign in; removing the last passkey, or turning the app off beside one, leaves
//! the account with exactly the steps it still has.

use crate::passkeys_flow::{ORIGIN, login_assertion, own_factors, post, register_passkey};
use crate::support::*;
use crate::two_step::KEY;
use active_sessions::auth::cookie::pending_name;
use active_sessions_api::paths;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

/// A server that offers passkeys and recovery codes.
async fn app() -> TestApp {
    let options = TestOptions::default().setting("PUBLIC_URL", ORIGIN);
    TestApp::spawn(options.setting("SECRETS_KEY", KEY)).await
}

/// The password step as a JSON client: the 401 `second_step_required` body's error.
async fn password_step(app: &TestApp, email: &str) -> Value {
    let response = app.login_as(LoginRequest::new(email)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&response, app.cookie_name()).is_none());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "second_step_required", "{body}");
    body["error"].clone()
}

/// A request carrying the pending sign-in's cookie, as the login page's browser sends it.
fn with_pending(
    app: &TestApp,
    method: Method,
    path: &str,
    pending: &str,
) -> reqwest::RequestBuilder {
    let name = pending_name(&app.state.config);
    app.request(method, path)
        .header(header::COOKIE, format!("{name}={pending}"))
}

/// The account's passkeys and recovery codes, as stored.
async fn stored(app: &TestApp, table: &'static str) -> i64 {
    let sql = match table {
        "passkeys" => "SELECT COUNT(*) FROM passkeys WHERE $1 = $1",
        _ => "SELECT COUNT(*) FROM recovery_codes WHERE $1 = $1",
    };
    app.scalar_i64(sql, "").await
}

/// A passkey-only account: a session that signed in with the password before the passkey
/// (`before`), the session that added it (`me`), the passkey and its recovery codes.
struct PasskeyAccount {
    app: TestApp,
    email: &'static str,
    me: String,
    before: String,
    passkey: SoftPasskey,
    codes: Vec<String>,
}

async fn passkey_account(email: &'static str) -> PasskeyAccount {
    let app = app().await;
    let me = app.signed_in(email).await.token;
    let before = app.login(email).await.token;
    let (passkey, finish) = register_passkey(&app, &me).await;
    assert_eq!(
        finish.status(),
        StatusCode::OK,
        "the first factor answers with codes"
    );
    let added: Value = finish.json().await.unwrap();
    let codes: Vec<String> = serde_json::from_value(added["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    let show = added["show"].as_str().unwrap();
    assert!(show.starts_with("/settings/security?codes="), "{show}");
    let page = app.page_text(show, &me).await;
    for code in &codes {
        assert!(
            page.contains(&format!("data-recovery-code=\"{code}\"")),
            "{code} shown"
        );
    }
    assert!(
        page.contains("id=\"passkey-two-step\""),
        "the page says it is on"
    );
    PasskeyAccount {
        app,
        email,
        me,
        before,
        passkey,
        codes,
    }
}

// SEC-59
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_passkey_comes_with_recovery_codes_and_the_password_alone_is_not_enough() {
    let mut account = passkey_account("passkey-only@example.com").await;
    let app = &account.app;
    let sessions_before = app
        .scalar_i64("SELECT COUNT(*) FROM sessions WHERE $1 = $1", "")
        .await;
    let error = password_step(app, account.email).await;
    assert_eq!(
        error["details"]["methods"],
        json!(["webauthn", "recovery_code"])
    );
    assert!(
        error["message"].as_str().unwrap().contains("passkey"),
        "{error}"
    );
    let sql = "SELECT COUNT(*) FROM sessions WHERE $1 = $1";
    assert_eq!(
        app.scalar_i64(sql, "").await,
        sessions_before,
        "no session yet"
    );
    let pending = error["details"]["pending"].as_str().unwrap().to_owned();

    // The browser's second step asks for what the account has: a recovery code or the passkey.
    let html = with_pending(app, Method::GET, "/login?step=code", &pending)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(">Recovery code</label>"), "{html}");
    assert!(
        !html.contains("authenticator app"),
        "no app to ask for: {html}"
    );
    assert!(html.contains("id=\"passkey-login\""), "{html}");

    // A recovery code finishes it, once.
    let response = app.send_code(&pending, &account.codes[0]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = app.login_session(response).await.token;
    assert_eq!(
        own_factors(app, &token).await,
        json!(["password", "recovery_code"])
    );
    let again = app.pending_sign_in(account.email).await;
    let response = app.send_code(&again, &account.codes[0]).await;
    assert_eq!(error_code(response).await, "invalid_code");

    // The passkey finishes it too (on the login page, taking the pending sign-in).
    let body = login_assertion(app, &mut account.passkey).await;
    let response = with_pending(app, Method::POST, paths::pages::LOGIN_PASSKEY, &again)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(session_cookie(&response, app.cookie_name()).is_some());

    // Both sessions that signed in with the password alone are now the weak ones (adding the
    // passkey makes a session fresh for step-up, not a two-step sign-in: `LaterProof::Enrolment`).
    let page = app.page_text("/settings/sessions", &account.me).await;
    assert!(
        page.contains("Sign out sessions without two-step (2)"),
        "{page}"
    );
    assert_eq!(own_factors(app, &account.before).await, json!(["password"]));
}

// SEC-59
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_recovery_codes_a_passkey_stays_another_way_to_sign_in() {
    // No SECRETS_KEY: no recovery codes can be made, so a required passkey could lock out.
    let app = TestApp::spawn(TestOptions::default().setting("PUBLIC_URL", ORIGIN)).await;
    let email = "no-key-passkey@example.com";
    let me = app.signed_in(email).await.token;
    let (_, finish) = register_passkey(&app, &me).await;
    assert_eq!(finish.status(), StatusCode::NO_CONTENT);
    assert_eq!(stored(&app, "recovery_codes").await, 0);
    let later = app.login(email).await;
    assert!(!later.token.is_empty(), "the password alone still signs in");
    let page = app.page_text(paths::pages::SECURITY, &me).await;
    assert!(page.contains("cannot make recovery codes"), "{page}");
}

// SEC-59
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_the_last_passkey_returns_the_account_to_one_step() {
    let account = passkey_account("remove-last@example.com").await;
    let app = &account.app;
    let pending = app.pending_sign_in(account.email).await;
    let response = app.send_code(&pending, &account.codes[1]).await;
    let recovered = app.login_session(response).await.token;
    let waiting = app.pending_sign_in(account.email).await;

    let id = app
        .scalar_i64("SELECT id FROM passkeys WHERE $1 = $1", "")
        .await;
    let body = json!({ "id": id, "sign_out_others": false });
    let removed = post(app, paths::PASSKEY_REMOVE, Some(&account.me), body).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    assert_eq!(stored(app, "passkeys").await, 0);
    assert_eq!(
        stored(app, "recovery_codes").await,
        0,
        "no factor left to fall back from"
    );
    assert_eq!(
        own_factors(app, &recovered).await,
        json!(["password"]),
        "a recovery code proves nothing once the codes are gone"
    );
    let response = app.send_code(&waiting, &account.codes[2]).await;
    assert_eq!(
        error_code(response).await,
        "expired_token",
        "a password step waiting for the passkey ended with it"
    );
    let later = app.login(account.email).await;
    assert!(!later.token.is_empty(), "the password alone signs in again");
}

// SEC-59
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_the_app_off_beside_a_passkey_keeps_the_second_step() {
    let options = TestOptions::default().setting("PUBLIC_URL", ORIGIN);
    let two = crate::two_step::Enrolled::spawn(options, "app-and-passkey@example.com").await;
    let me = crate::step_up::sign_in(&two).await;
    crate::passkeys_flow::add_passkey(&two.app, &me).await;
    let off = crate::step_up::server_fn(&two.app, &me, paths::server_fns::TURN_OFF_TOTP, &[]).await;
    assert!(
        off.status().is_success() || off.status().is_redirection(),
        "{}",
        off.status()
    );

    let error = password_step(&two.app, two.email).await;
    assert_eq!(
        error["details"]["methods"],
        json!(["webauthn", "recovery_code"])
    );
    let pending = error["details"]["pending"].as_str().unwrap().to_owned();
    let response = two.app.send_code(&pending, &two.recovery[0]).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the app's recovery codes stayed"
    );
}

// SEC-59: a session that signed in with the account's last passkey proves one step once the
// passkey is gone (the app stays the account's second step, so that session counts as weak).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_signed_in_with_the_last_passkey_drop_to_one_step_when_it_goes() {
    let options = TestOptions::default().setting("PUBLIC_URL", ORIGIN);
    let two = crate::two_step::Enrolled::spawn(options, "passkey-goes@example.com").await;
    let me = crate::step_up::sign_in(&two).await;
    let mut passkey = crate::passkeys_flow::add_passkey(&two.app, &me).await;
    let body = login_assertion(&two.app, &mut passkey).await;
    let response = post(&two.app, paths::PASSKEY_LOGIN_FINISH, None, body).await;
    let by_passkey = session_cookie(&response, two.app.cookie_name()).expect("signed in");
    let page = two.app.page_text("/settings/sessions", &me).await;
    assert!(page.contains("Passkey · phishing-resistant"), "{page}");
    assert!(
        !page.contains("Sign out sessions without two-step"),
        "none is weak yet"
    );

    let id = two
        .app
        .scalar_i64("SELECT id FROM passkeys WHERE $1 = $1", "")
        .await;
    let body = json!({ "id": id, "sign_out_others": false });
    let removed = post(&two.app, paths::PASSKEY_REMOVE, Some(&me), body).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    let page = two.app.page_text("/settings/sessions", &me).await;
    assert!(page.contains("Passkey (since removed)"), "{page}");
    assert!(
        page.contains("Sign out sessions without two-step (1)"),
        "{page}"
    );
    assert!(two.own_details(&by_passkey).await["mfa_updated_at"].is_string());
    assert_eq!(
        own_factors(&two.app, &me).await,
        json!(["password", "totp"])
    );
}

// SEC-59: a server that no longer offers passkeys (no `PUBLIC_URL`) does not ask for one: an
// account whose second step was its passkey signs in with the password again, never meeting a
// second step it cannot finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_passkeys_on_the_server_a_passkey_asks_for_nothing() {
    use active_sessions::factors::service::regenerate_recovery_codes;
    let app = TestApp::spawn(TestOptions::default().setting("SECRETS_KEY", KEY)).await;
    let email = "passkeys-off@example.com";
    let user_id = app.create_user(email).await;
    sqlx::query(
        "INSERT INTO passkeys (user_id, credential_id, passkey, name, created_at) \
         VALUES ($1, $2, '{}', 'Phone', 0)",
    )
    .bind(user_id)
    .bind(vec![7u8; 16])
    .execute(app.state.db.pool())
    .await
    .unwrap();
    regenerate_recovery_codes(&app.state, user_id)
        .await
        .unwrap();
    let signed_in = app.login(email).await;
    assert!(!signed_in.token.is_empty(), "the password alone signs in");
}

// SEC-59: two first passkeys finished in parallel make one set of recovery codes, shown once: the
// account row is taken first, so the second sees the first's codes (PostgreSQL too).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_first_passkeys_in_parallel_make_one_set_of_codes() {
    let app = app().await;
    let me = app.signed_in("parallel-first@example.com").await.token;
    let mut finishes = Vec::new();
    for name in ["One", "Two"] {
        let mut passkey = SoftPasskey::new(ORIGIN);
        let start = post(&app, paths::PASSKEY_REGISTER_START, Some(&me), json!({})).await;
        let (ceremony, options) = crate::passkeys_flow::started(start).await;
        let credential = passkey.register(&options);
        finishes.push(json!({ "ceremony": ceremony, "credential": credential, "name": name }));
    }
    let sent = finishes.into_iter().map(|body| {
        let request = app.with_cookie(Method::POST, paths::PASSKEY_REGISTER_FINISH, &me);
        tokio::spawn(request.json(&body).send())
    });
    let mut statuses = Vec::new();
    for handle in sent.collect::<Vec<_>>() {
        statuses.push(handle.await.unwrap().unwrap().status());
    }
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::NO_CONTENT]);
    assert_eq!(stored(&app, "passkeys").await, 2);
    assert_eq!(
        stored(&app, "recovery_codes").await,
        10,
        "one set, the one shown"
    );
}

// SEC-47, SEC-59: a passkey account's recovery codes are keyed with `SECRETS_KEY`, so the server
// refuses to start without it, as it does for authenticator apps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_codes_alone_make_the_key_required_at_start() {
    use active_sessions::platform::config::Config;
    let account = passkey_account("key-needed@example.com").await;
    let mut settings = account.app.settings.clone();
    settings.remove("SECRETS_KEY");
    let config = Config::from_lookup(|k| settings.get(k).cloned()).unwrap();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("active-sessions")
        .site_root("target/site")
        .build();
    let clock = std::sync::Arc::new(account.app.clock.clone());
    let refused = active_sessions::server::build_state(config, options, clock).await;
    let message = format!("{:#}", refused.err().expect("start refused"));
    assert!(message.contains("SECRETS_KEY is not set"), "{message}");
}
