//! Words a stranger controls (SEC-44): device names use only recognised words from a user agent,
//! a browser never passes for our CLI, labels refuse characters that hide or fake text, and
//! look-alike names are found by skeleton. Through the real server.

use crate::support::*;
use active_sessions_api::paths::{self, pages};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const FIREFOX: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
const CLI_UA: &str = "active-sessions-cli/0.3.0 (linux; x86_64)";
/// The terminal icon's SVG path (`sessions/components/device_icon.rs`).
const TERMINAL_ICON: &str = "M3 4h18v16H3z M7 9l3 3-3 3 M12 15h5";

async fn rename(app: &TestApp, token: &str, id: &str, label: &str) -> Response {
    app.request(Method::PATCH, &paths::session(id))
        .bearer_auth(token)
        .json(&json!({ "label": label }))
        .send()
        .await
        .unwrap()
}

async fn details(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get_with_cookie(paths::SESSIONS_DETAILS, token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The HTML of the page's row for session `id`.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("data-session-id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row for {id}"));
    let end = html[start..]
        .find("</li>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

// SEC-44: every class of hostile label is refused with 400 and a sentence, and nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_labels_are_refused_and_change_nothing() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("hostile-label@example.com").await;
    let kept = rename(&app, &me.token, &me.public_id, "Kept").await;
    assert_eq!(kept.status(), StatusCode::OK);
    for label in [
        "Firefox 132 on Ubuntu\u{200B}",
        "Work\u{2060}laptop",
        "\u{FEFF}Work laptop",
        "Work\u{2028}laptop",
        "Work \u{E000}",
        "Work\u{E0041}\u{E007F}",
        "Work\u{3164}",
        "Work\u{2800}",
        "Zalgo\u{0301}\u{0302}\u{0303}",
        "\u{00A0}\u{3000}",
        "\u{FE0F}",
    ] {
        let response = rename(&app, &me.token, &me.public_id, label).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{label:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_input", "{label:?}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("A name "), "{label:?}: {message}");
    }
    let detail: Value = app
        .get_json(&paths::session(&me.public_id), &me.token)
        .await;
    assert_eq!(detail["label"], "Kept");
    // What people do type still works, stored in NFC.
    let accented = rename(&app, &me.token, &me.public_id, "Cafe\u{0301} laptop").await;
    assert_eq!(accented.status(), StatusCode::OK);
    let detail: Value = accented.json().await.unwrap();
    assert_eq!(detail["label"], "Café laptop");
}

// SEC-44: a browser that sends our CLI's user agent is named and iconed as a browser, on the API
// and on the page; the real CLI session keeps its name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_with_the_cli_user_agent_is_not_listed_as_the_cli() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("cli-ua@example.com").await;
    let fake = app
        .login_with(LoginRequest::new("cli-ua@example.com").user_agent(CLI_UA))
        .await;
    let real = app.cli_login(&me.token).await;
    let real_id = real["session_id"].as_str().unwrap();

    let listed = details(&app, &me.token).await;
    let entry = |id: &str| listed.iter().find(|d| d["id"] == id).unwrap().clone();
    let fake_entry = entry(&fake.public_id);
    assert_eq!(fake_entry["kind"], "web");
    let name = fake_entry["name"].as_str().unwrap();
    assert!(!name.contains("CLI"), "browser named {name:?}");
    assert_ne!(fake_entry["device_type"], "terminal");
    assert_ne!(fake_entry["client"]["client_name"], "active-sessions CLI");
    assert_eq!(
        fake_entry["user_agent"], CLI_UA,
        "the raw agent is still there"
    );
    let cli = entry(real_id);
    assert_eq!(cli["name"], "active-sessions CLI on Linux");
    assert_eq!(cli["device_type"], "terminal");

    let html = app.page_text(pages::SESSIONS, &me.token).await;
    let fake_row = row(&html, &fake.public_id);
    assert!(!fake_row.contains("active-sessions CLI"), "{fake_row}");
    assert!(
        !fake_row.contains(TERMINAL_ICON),
        "terminal icon on a browser: {fake_row}"
    );
    assert!(
        fake_row.contains("User agent, as sent by the device")
            && fake_row.contains("active-sessions-cli/0.3.0 (linux; x86_64)"),
        "the raw agent in the details, said to be the device's: {fake_row}"
    );
    let cli_row = row(&html, real_id);
    assert!(cli_row.contains("active-sessions CLI on Linux"));
    assert!(cli_row.contains(TERMINAL_ICON));
}

// SEC-44: the approval page's title and heading use recognised words only; the requester's text
// appears once, escaped, as what the device sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_approval_page_shows_no_text_of_the_requester_in_its_title() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("approve-words@example.com").await;
    let grant = app
        .start_grant_as("active-sessions-cli/1 (<a href=x>EVIL TEXT; x)")
        .await;
    let code = grant["user_code"].as_str().unwrap();
    let html = app.page_text(&pages::cli_approve(code), &me.token).await;
    let between = |open: &str, close: &str| -> String {
        let start = html
            .find(open)
            .unwrap_or_else(|| panic!("no {open} in {html}"));
        let end = html[start..].find(close).unwrap() + start;
        html[start..end].to_owned()
    };
    let title = between("<title", "</title>");
    let heading = between("<h2 id=\"grant-title\"", "</h2>");
    for shown in [&title, &heading] {
        assert!(!shown.contains("EVIL"), "requester text in {shown}");
        assert!(!shown.contains("href"), "requester markup in {shown}");
    }
    assert!(
        heading.contains("active-sessions CLI on Unknown OS wants to sign in"),
        "{heading}"
    );
    assert!(!html.contains("<a href=x>"), "unescaped markup in the page");
    assert!(html.contains("User agent, as sent by the device"));
    assert!(html.contains("active-sessions-cli/1 (&lt;a href=x&gt;EVIL TEXT; x)"));
}

// SEC-44: a label that reads like another row's name (a Cyrillic "о", a "1" for an "l") is a
// look-alike on the page; with a zero-width space it cannot even be saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alike_names_are_found_by_skeleton() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("lookalike@example.com").await;
    let me = app
        .login_with(LoginRequest::new("lookalike@example.com").user_agent(FIREFOX))
        .await;
    let other = app
        .login_with(LoginRequest::new("lookalike@example.com").user_agent(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Safari/537.36",
        ))
        .await;
    let html = app.page_text(pages::SESSIONS, &me.token).await;
    assert!(!html.contains("Same name as another session"), "not yet");

    // A zero-width character is refused; a Cyrillic look-alike is a name like any other.
    for (label, status) in [
        ("Firefox 132 on Ubuntu\u{200B}", StatusCode::BAD_REQUEST),
        ("Firef\u{043E}x l32 on Ubuntu", StatusCode::OK),
    ] {
        let response = rename(&app, &me.token, &other.public_id, label).await;
        assert_eq!(response.status(), status, "{label:?}");
    }
    let html = app.page_text(pages::SESSIONS, &me.token).await;
    for id in [&me.public_id, &other.public_id] {
        assert!(
            row(&html, id).contains("Same name as another session"),
            "no look-alike note on {id}: {}",
            row(&html, id)
        );
    }
}

// SEC-44: the alert email's "Device:" line uses recognised words only: a browser sending the
// CLI's user agent is not "active-sessions CLI", and a CLI's own platform text never appears.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alert_emails_name_devices_in_recognised_words_only() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("words").await;
    let owner = app
        .login_with(LoginRequest::new(&email).user_agent(FIREFOX))
        .await;
    app.login_with(LoginRequest::new(&email).user_agent(CLI_UA))
        .await;
    let grant = app
        .start_grant_as("active-sessions-cli/1 (<a href=https://evil.example>EVIL TEXT; x)")
        .await;
    let code = grant["user_code"].as_str().unwrap();
    let approved = app.decide_grant(&owner.token, code, true).await;
    assert_eq!(approved.status(), StatusCode::OK);
    let redeemed = app.redeem(grant["device_code"].as_str().unwrap()).await;
    assert_eq!(redeemed.status(), StatusCode::OK);

    let mails = smtp.wait_for(&email, 2).await;
    let device_line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("Device:"))
            .expect("a Device: line")
            .trim_start_matches("Device:")
            .trim()
            .to_owned()
    };
    let mut devices: Vec<String> = mails
        .iter()
        .map(|m| device_line(m.text.as_deref().unwrap()))
        .collect();
    devices.sort();
    assert_eq!(
        devices,
        [
            "Unknown browser on Linux",
            "active-sessions CLI on Unknown OS"
        ]
    );
    for mail in &mails {
        for part in [mail.text.as_deref().unwrap(), mail.html.as_deref().unwrap()] {
            assert!(
                !part.contains("EVIL") && !part.contains("evil.example"),
                "{part}"
            );
        }
    }
}
