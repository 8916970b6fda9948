//! Health check, redirects and response headers of pages and the API.

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_ok() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let response = app.get(paths::HEALTHZ).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_redirects_to_login_when_signed_out_and_to_sessions_when_signed_in() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let response = app.get(pages::ROOT).await;
    assert_redirect(&response, pages::LOGIN);

    let token = app.signed_in("root@example.com").await.token;
    let response = app.get_with_cookie(pages::ROOT, &token).await;
    assert_redirect(&response, pages::SESSIONS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_pages_redirect_to_login_with_next() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let response = app.get(pages::SESSIONS).await;
    assert_redirect(&response, "/login?next=/settings/sessions");

    let response = app.get("/settings/sessions?kind=cli").await;
    assert_redirect(&response, "/login?next=/settings/sessions%3Fkind%3Dcli");

    // A garbage cookie is the same as none.
    let response = app.get_with_cookie(pages::PASSWORD, "garbage").await;
    assert_redirect(&response, "/login?next=/settings/password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_page_renders_for_signed_out_visitors() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let html = app.login_page().await;
    assert!(html.contains("name=\"email\""), "{html}");
    assert!(html.contains("name=\"password\""));
}

/// A newcomer's first page: with no account in the database the login page says how to create
/// one (the server's own command, in the HTML itself, so also without JavaScript); once any
/// account exists it says nothing of the kind, to anyone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_page_tells_how_to_create_the_first_account_only_while_there_is_none() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let html = app.login_page().await;
    assert!(html.contains("This server has no account yet"), "{html}");
    assert!(
        html.contains("| active-sessions user add you@example.com</code>"),
        "the command, naming the binary (bare: this server runs inside the test binary): {html}"
    );
    assert!(
        html.contains("DATABASE_URL"),
        "the test database is not the default one, so the command needs it: {html}"
    );
    assert!(
        !html.contains("sqlite://"),
        "the database URL itself is never shown"
    );

    app.create_user("first@example.com").await;
    let html = app.login_page().await;
    assert!(html.contains("name=\"password\""), "{html}");
    for gone in [
        "no account yet",
        "user add",
        "DATABASE_URL",
        "first-account",
    ] {
        assert!(!html.contains(gone), "{gone:?} still shown: {html}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_user_sees_sessions_page() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let login = app.signed_in("page@example.com").await;
    let response = app.get_with_cookie(pages::SESSIONS, &login.token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Active sessions"));
    assert!(
        html.contains(&login.public_id),
        "the list shows this session"
    );
    assert!(
        !html.contains(&login.token),
        "the page never carries the token"
    );
}

/// The row names the sign-in address and, once the session is used from elsewhere, the last one;
/// near the per-user cap a notice says what happens next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_show_the_last_address_and_the_cap_is_announced() {
    let app = TestApp::spawn(TestOptions::default().settings(&[
        ("TRUST_PROXY_HEADERS", "true"),
        ("MAX_SESSIONS_PER_USER", "5"),
    ]))
    .await;
    app.create_user("places@example.com").await;
    let login = app
        .request(reqwest::Method::POST, pages::LOGIN)
        .header(reqwest::header::ACCEPT, "application/json")
        .header("x-forwarded-for", "203.0.113.7")
        .form(&[("email", "places@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let token = session_cookie(&login, app.cookie_name()).unwrap();
    for _ in 0..3 {
        app.login("places@example.com").await;
    }
    app.clock.advance(120);
    let page = |from: &'static str| {
        app.with_cookie(reqwest::Method::GET, pages::SESSIONS, &token)
            .header("x-forwarded-for", from)
            .send()
    };
    page("198.51.100.23").await.unwrap();
    let html = page("198.51.100.23").await.unwrap().text().await.unwrap();
    assert!(html.contains("Signed in from 203.0.113.7 · "), "{html}");
    assert!(html.contains(" · last seen from 198.51.100.23"), "{html}");
    assert!(
        html.contains("4 of at most 5 sessions are signed in"),
        "the near-cap notice at 80 %"
    );
}

/// The server-function paths the tests call (`active_sessions_api::paths::server_fns`) are the
/// ones the server registers.
#[test]
fn server_function_paths_match_the_server() {
    use active_sessions::{alerts, auth, cli_grants, factors, sessions};
    use leptos::server_fn::ServerFn;
    macro_rules! registered {
        ($($ours:ident => $feature:ident::$function:ident),* $(,)?) => {
            $(assert_eq!(server_fns::$ours, $feature::server_fns::$function::PATH);)*
        };
    }
    registered!(
        LOGIN_OPTIONS => auth::LoginOptions, CHANGE_PASSWORD => auth::ChangePassword,
        CLI_GRANT => cli_grants::GetCliGrant, CLI_DECIDE => cli_grants::DecideCliGrant,
        SESSIONS_LIST => sessions::ListSessions, SESSIONS_ENDED => sessions::ListEndedSessions,
        REVOKE => sessions::RevokeSession, RENAME => sessions::RenameSession,
        REVOKE_OTHERS => sessions::RevokeOtherSessions,
        SIGN_OUT_UNUSED => sessions::SignOutUnusedSessions,
        SIGN_OUT_WEAK => sessions::SignOutWeakSessions,
        SECURITY_OVERVIEW => factors::GetSecurityOverview,
        BEGIN_TOTP_SETUP => factors::BeginTotpSetup, TURN_ON_TOTP => factors::TurnOnTotp,
        REGENERATE_RECOVERY_CODES => factors::RegenerateRecoveryCodes,
        NOT_ME_VIEW => alerts::GetNotMe, NOT_ME_SIGN_OUT => alerts::SignOutThatDevice,
    );
}
