//! `/settings/security` with JavaScript off, as a browser without it uses it: plain form posts to
//! the server functions, redirects back to the page, the secret read from the page, the code
//! computed from it.

use crate::support::*;
use active_sessions::factors::totp;
use active_sessions_api::paths::{pages, server_fns};
use reqwest::{Method, Response, StatusCode, header};

/// A base64 `SECRETS_KEY` for the tests (32 bytes).
const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const PAGE: &str = pages::SECURITY;

/// A plain HTML form post (JavaScript off) from the page at `referer`.
async fn post_form(
    app: &TestApp,
    token: &str,
    path: &str,
    referer: &str,
    form: &[(&str, &str)],
) -> Response {
    app.request(Method::POST, path)
        .header(header::COOKIE, app.cookie(token))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url(referer))
        .form(form)
        .send()
        .await
        .expect("form post")
}

/// Where a redirect goes, relative to the server.
fn location(app: &TestApp, response: &Response) -> String {
    assert!(response.status().is_redirection(), "{}", response.status());
    let to = header_str(response, "location").expect("Location");
    to.strip_prefix(&app.base).unwrap_or(to).to_owned()
}

/// The values of every `name="…"` attribute in `html`.
fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!("{name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

async fn factors_of(app: &TestApp) -> i64 {
    app.scalar_i64(
        "SELECT COUNT(*) FROM totp_factors WHERE 1 = 1 OR $1 = ''",
        "",
    )
    .await
}

/// "Set up authenticator app": the page of the set-up, its secret and its ticket.
async fn begin_setup(app: &TestApp, token: &str) -> (String, String, String) {
    let response = post_form(app, token, server_fns::BEGIN_TOTP_SETUP, PAGE, &[]).await;
    let page = location(app, &response);
    assert!(page.starts_with("/settings/security?setup="), "{page}");
    let html = app.page_text(&page, token).await;
    let secret = attr_values(&html, "data-totp-secret")
        .pop()
        .expect("secret shown");
    assert!(html.contains("<svg") && html.contains("QR code for the authenticator app"));
    assert!(
        html.contains(r#"name="code""#) && html.contains("Turn on"),
        "{html}"
    );
    let ticket = attr_values(&html, "value")
        .into_iter()
        .find(|v| v.len() > 40)
        .unwrap();
    (page, secret, ticket)
}

fn code_for(app: &TestApp, base32: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(base32).unwrap();
    totp::code_at(secret.as_bytes(), app.clock_now())
}

// SEC-51
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticator_app_is_turned_on_without_javascript() {
    let app = TestApp::spawn(TestOptions::default().setting("SECRETS_KEY", KEY)).await;
    app.create_user("page@example.com").await;
    let token = app.login("page@example.com").await.token;
    let html = app.page_text(pages::SESSIONS, &token).await;
    assert!(
        html.contains(r#"href="/settings/security""#),
        "linked from the sessions page"
    );
    let html = app.page_text(PAGE, &token).await;
    assert!(html.contains("Set up authenticator app"), "{html}");

    let (page, secret, ticket) = begin_setup(&app, &token).await;
    // A wrong code: back to the same set-up with an error, nothing stored.
    let wrong = format!(
        "{:06}",
        (code_for(&app, &secret).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let form = [("code", wrong.as_str()), ("setup", ticket.as_str())];
    let response = post_form(&app, &token, server_fns::TURN_ON_TOTP, &page, &form).await;
    let back = location(&app, &response);
    assert!(back.starts_with(&page), "{back}");
    let html = app.page_text(&back, &token).await;
    assert!(html.contains("That code is not right"), "{html}");
    assert_eq!(attr_values(&html, "data-totp-secret"), vec![secret.clone()]);
    assert_eq!(factors_of(&app).await, 0, "a wrong code stores nothing");

    // The right code: on, and ten recovery codes shown once with a download.
    let right = code_for(&app, &secret);
    let form = [("code", right.as_str()), ("setup", ticket.as_str())];
    let response = post_form(&app, &token, server_fns::TURN_ON_TOTP, &page, &form).await;
    let shown = location(&app, &response);
    assert!(shown.starts_with("/settings/security?codes="), "{shown}");
    let html = app.page_text(&shown, &token).await;
    let codes = attr_values(&html, "data-recovery-code");
    assert_eq!(codes.len(), 10, "{html}");
    assert!(html.contains(r#"download="recovery-codes.txt""#));
    assert!(html.contains("Regenerate recovery codes"));
    assert_eq!(factors_of(&app).await, 1);
    // Shown only to this session, and only for a while.
    let other = app.login_as(LoginRequest::new("page@example.com")).await;
    assert_eq!(
        other.status(),
        StatusCode::UNAUTHORIZED,
        "the password alone no longer signs in"
    );
    app.clock.advance(301);
    let html = app.page_text(&shown, &token).await;
    assert!(attr_values(&html, "data-recovery-code").is_empty());

    // Signing in now takes the code from the app the page set up.
    let pending = app.pending_sign_in("page@example.com").await;
    let response = app.send_code(&pending, &code_for(&app, &secret)).await;
    assert_eq!(response.status(), StatusCode::OK);
}

// SEC-51, SEC-54: turning the app on offers "Also sign out every other session" (checked on the
// page): the sessions that only ever proved the password end with the change, the page says how
// many, and this one stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_the_app_on_can_sign_out_every_other_session() {
    let app = TestApp::spawn(TestOptions::default().setting("SECRETS_KEY", KEY)).await;
    app.create_user("on@example.com").await;
    let token = app.login("on@example.com").await.token;
    let kept = app.login("on@example.com").await.token;
    let (page, secret, ticket) = begin_setup(&app, &token).await;
    let html = app.page_text(&page, &token).await;
    assert!(
        html.contains(r#"name="sign_out_others" value="true" checked"#),
        "{html}"
    );
    let right = code_for(&app, &secret);
    let form = [
        ("code", right.as_str()),
        ("setup", ticket.as_str()),
        ("sign_out_others", "true"),
    ];
    let response = post_form(&app, &token, server_fns::TURN_ON_TOTP, &page, &form).await;
    let shown = location(&app, &response);
    assert!(shown.contains("ended=1"), "{shown}");
    let html = app.page_text(&shown, &token).await;
    assert!(
        html.contains("Two-step sign-in is on. 1 other session was signed out."),
        "{html}"
    );
    assert_eq!(attr_values(&html, "data-recovery-code").len(), 10);
    assert_eq!(app.status_of(&kept).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&token).await, StatusCode::OK);
}

// SEC-51, SEC-53
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_on_and_regenerating_need_a_recent_password() {
    let app = TestApp::spawn(TestOptions::default().setting("SECRETS_KEY", KEY)).await;
    app.create_user("stale@example.com").await;
    let token = app.login("stale@example.com").await.token;
    app.clock.advance(16 * 60);
    let (page, secret, ticket) = begin_setup(&app, &token).await;
    let html = app.page_text(&page, &token).await;
    assert!(
        html.contains(r#"name="password""#),
        "the form asks for the password"
    );
    let code = code_for(&app, &secret);
    let form = [("code", code.as_str()), ("setup", ticket.as_str())];
    let response = post_form(&app, &token, server_fns::TURN_ON_TOTP, &page, &form).await;
    let back = location(&app, &response);
    assert!(
        app.page_text(&back, &token)
            .await
            .contains("Confirm your password")
    );
    assert_eq!(factors_of(&app).await, 0);
    let form = [
        ("code", code.as_str()),
        ("setup", ticket.as_str()),
        ("password", PASSWORD),
    ];
    let response = post_form(&app, &token, server_fns::TURN_ON_TOTP, &page, &form).await;
    let shown = location(&app, &response);
    let old = attr_values(&app.page_text(&shown, &token).await, "data-recovery-code");
    assert_eq!(old.len(), 10);

    // Regenerating voids the old set; with the app on, it needs a recent password and a code
    // from the app (step-up, SEC-53).
    app.clock.advance(16 * 60);
    let path = server_fns::REGENERATE_RECOVERY_CODES;
    let response = post_form(&app, &token, path, PAGE, &[]).await;
    let back = location(&app, &response);
    let html = app.page_text(&back, &token).await;
    assert!(
        html.contains("Confirm your password and enter a code"),
        "{html}"
    );
    assert!(html.contains(r#"name="password""#) && html.contains(r#"name="code""#));
    let response = post_form(&app, &token, path, PAGE, &[("password", PASSWORD)]).await;
    let back = location(&app, &response);
    assert!(attr_values(&app.page_text(&back, &token).await, "data-recovery-code").is_empty());
    let code = code_for(&app, &secret);
    let form = [("password", PASSWORD), ("code", code.as_str())];
    let response = post_form(&app, &token, path, PAGE, &form).await;
    let shown = location(&app, &response);
    let new = attr_values(&app.page_text(&shown, &token).await, "data-recovery-code");
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|c| !old.contains(c)));
    for (code, works) in [(&old[0], false), (&new[0], true)] {
        let pending = app.pending_sign_in("stale@example.com").await;
        let response = app.send_code(&pending, code).await;
        assert_eq!(response.status() == StatusCode::OK, works, "{code}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secrets_key_the_page_says_the_app_is_unavailable() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("nokey@example.com").await.token;
    let html = app.page_text(PAGE, &token).await;
    assert!(
        html.contains("Authenticator apps are unavailable on this server"),
        "{html}"
    );
    let response = post_form(&app, &token, server_fns::BEGIN_TOTP_SETUP, PAGE, &[]).await;
    let back = location(&app, &response);
    assert!(
        app.page_text(&back, &token)
            .await
            .contains("Authenticator apps are unavailable")
    );
}
