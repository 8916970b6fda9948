//! Sign-in alerts through the real server and a real SMTP server (aiosmtpd): who gets one, what
//! it says, the one-click "This wasn't me" link, and the outbox's delivery guarantees.

use crate::support::*;
use active_sessions_api::paths::{pages, server_fns};
use reqwest::{Method, StatusCode, header};
use std::time::Duration;

const FIREFOX: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_browser_is_alerted_but_not_the_first_sign_in_nor_a_known_browser() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("alert").await;

    // The account's very first sign-in: nothing to tell.
    let first = app
        .login_with(LoginRequest::new(&email).user_agent(FIREFOX))
        .await;
    let device = first.device.expect("device cookie");
    // The same browser again (its device cookie): known, no alert.
    app.login_with(
        LoginRequest::new(&email)
            .user_agent(FIREFOX)
            .device(Some(&device)),
    )
    .await;
    // Another browser: alerted.
    let second = app.login_with(LoginRequest::new(&email).user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")).await;
    assert!(!second.token.is_empty());

    let mails = smtp.wait_for(&email, 1).await;
    smtp.assert_stays_at(&email, 1, Duration::from_millis(2500))
        .await;
    let mail = &mails[0];
    assert_eq!(mail.subject, "New sign-in to your account");
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(mail.from.contains("alerts@sessions.test"));
    assert!(
        mail.message_id.contains("@sessions.test"),
        "{}",
        mail.message_id
    );
    for part in [mail.text.as_deref().unwrap(), mail.html.as_deref().unwrap()] {
        assert!(part.contains("Chrome 131 on Windows 10"), "{part}");
        assert!(part.contains("127.0.0.1 (location unknown)"), "{part}");
        assert!(part.contains(" UTC"), "{part}");
        assert!(part.contains("http://sessions.test/not-me/"), "{part}");
        assert!(part.contains("Active sessions"), "{part}");
        // No tracking: no images, no remote resources.
        assert!(!part.contains("<img"), "{part}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redeemed_cli_grant_is_alerted() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = format!("cli-alert-{}@example.com", random_hex(6));
    let browser = app.signed_in(&email).await.token;
    let cli = app.cli_login(&browser).await;
    assert!(cli["token"].is_string());
    let mails = smtp.wait_for(&email, 1).await;
    let text = mails[0].text.as_deref().unwrap();
    assert!(text.contains("Command-line (CLI)"), "{text}");
}

// SEC-02: the not-me token is stored only as its hash, and the outbox forgets the link once sent.
// SEC-08: the link's token is never a session credential.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_is_stored_hashed_and_wiped_from_the_outbox_once_sent() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("hashed").await;
    app.login(&email).await;
    app.login(&email).await;
    let mail = smtp.wait_for(&email, 1).await.remove(0);
    let token = mail.not_me_token();
    // Sent and marked sent: the bodies (with the link) are gone from the database.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while app
        .scalar_i64(
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL OR text_body <> '' \
             OR html_body <> '' OR idempotency_key = $1",
            "",
        )
        .await
        > 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "outbox row not marked sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let dump = app.dump_database_text().await;
    assert!(
        !dump.iter().any(|cell| cell.contains(&token)),
        "the raw not-me token is stored somewhere"
    );
    assert_eq!(app.bearer_status(&token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&token).await, StatusCode::UNAUTHORIZED);
}

// SEC-18: the link ends exactly the session it names, and only once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_me_get_changes_nothing_and_the_post_ends_that_session_once() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = format!("notme-{}@example.com", random_hex(6));
    let owner = app.signed_in(&email).await.token;
    let intruder = app
        .login_with(LoginRequest::new(&email).user_agent(FIREFOX))
        .await
        .token;
    let token = smtp.wait_for(&email, 1).await[0].not_me_token();

    // A mail scanner following the link (twice) changes nothing.
    for _ in 0..2 {
        let (status, html) = app.not_me_page(&token).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Firefox 132 on Ubuntu"), "{html}");
        assert!(html.contains("Sign out that device"), "{html}");
        assert!(!html.contains(&email), "the page reveals the account");
    }
    assert_eq!(app.status_of(&intruder).await, StatusCode::OK);

    // The button: the intruder's session ends, the owner's does not.
    let response = app.sign_out_that_device(&token).await;
    assert_redirect(&response, pages::not_me(&token).as_str());
    assert_eq!(app.status_of(&intruder).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&owner).await, StatusCode::OK);
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE revoked_reason = 'not_me' AND public_id <> $1",
            "",
        )
        .await,
        1
    );
    let (_, html) = app.not_me_page(&token).await;
    assert!(html.contains("That device is signed out"), "{html}");
    assert!(html.contains("Change your password now"), "{html}");
    assert!(html.contains("/login?next=/settings/password"), "{html}");

    // Used: a second press ends nothing more and says so.
    let again = app.sign_out_that_device(&token).await;
    assert!(again.status().is_redirection());
    assert_eq!(app.status_of(&owner).await, StatusCode::OK);
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE revoked_reason = 'not_me' AND public_id <> $1",
            ""
        )
        .await,
        1
    );
}

// SEC-22: malformed and unknown tokens are a plain "not valid", never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_and_expired_links_say_so_plainly() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().settings(&[
        ("SMTP_URL", &smtp.url()),
        ("MAIL_FROM", "alerts@sessions.test"),
        ("PUBLIC_URL", "http://sessions.test"),
        ("SESSION_IDLE_TIMEOUT_SECS", "2592000"),
    ]))
    .await;
    for bad in [
        "abc",
        "%27%20OR%201%3D1--",
        &"A".repeat(43),
        &"x".repeat(5000),
    ] {
        let (status, html) = app.not_me_page(bad).await;
        assert_eq!(status, StatusCode::OK, "{bad}");
        assert!(html.contains("This link is not valid"), "{bad}: {html}");
        let post = app
            .request(Method::POST, server_fns::NOT_ME_SIGN_OUT)
            .header(header::ORIGIN, &app.base)
            .header(header::ACCEPT, "application/json")
            .form(&[("token", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), StatusCode::NOT_FOUND, "{bad}");
    }

    let email = app.new_account("expired").await;
    app.login(&email).await;
    let intruder = app.login(&email).await.token;
    let token = smtp.wait_for(&email, 1).await[0].not_me_token();
    app.clock.advance(7 * 24 * 3600 + 1);
    let (_, html) = app.not_me_page(&token).await;
    assert!(html.contains("This link has expired"), "{html}");
    app.sign_out_that_device(&token).await;
    assert_eq!(
        app.status_of(&intruder).await,
        StatusCode::OK,
        "an expired link ends nothing"
    );
}

// SEC-23, SEC-44: a hostile user agent never reaches the email, escaped or not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_user_agent_is_escaped_in_the_email() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("hostile").await;
    app.login(&email).await;
    // uap-core reads the product before "/1 CFNetwork" as the browser's name: text the client
    // wrote, which is not a recognised word, so the email names an unknown browser.
    app.login_with(
        LoginRequest::new(&email).user_agent("<img src=x onerror=alert(1)>/1 CFNetwork/1"),
    )
    .await;
    let mail = smtp.wait_for(&email, 1).await.remove(0);
    let html = mail.html.unwrap();
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(!html.contains("onerror"), "{html}");
    assert!(!mail.text.unwrap().contains("onerror"));
    assert!(html.contains("<strong>Unknown browser</strong>"), "{html}");
}

/// SMTP down at sign-in time: the messages wait in the outbox and go out, each exactly once,
/// when SMTP is back, with two app instances on the same database competing to send them.
// SEC-08: the failures are logged with their reason, never with the link's token.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn smtp_down_then_up_delivers_each_message_once_across_two_instances() {
    let mut smtp = SmtpServer::down();
    let a = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let b = TestApp::spawn(TestOptions::default().sharing(&a)).await;
    let email = a.new_account("outage").await;
    a.login(&email).await;
    const ALERTS: usize = 12;
    for i in 0..ALERTS {
        let app = if i % 2 == 0 { &a } else { &b };
        app.login(&email).await;
    }
    // Every attempt so far failed (nothing listens): all queued, none sent, reasons recorded.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let failed = a
            .scalar_i64(
                "SELECT COUNT(*) FROM mail_outbox WHERE attempts > 0 AND last_error IS NOT NULL \
                 AND sent_at IS NULL AND idempotency_key <> $1",
                "",
            )
            .await;
        if failed == ALERTS as i64 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{failed} attempts failed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(smtp.messages_to(&email).is_empty());

    smtp.start().await;
    // Past every backoff, on both instances' clocks; wake both senders at once.
    a.clock.advance(3600);
    b.clock.advance(3600);
    a.state.outbox_wakeup.notify_one();
    b.state.outbox_wakeup.notify_one();
    let mails = smtp.wait_for(&email, ALERTS).await;
    smtp.assert_stays_at(&email, ALERTS, Duration::from_secs(3))
        .await;
    let mut ids: Vec<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), ALERTS, "each message once: {ids:?}");
    let logs = captured_logs();
    assert!(logs.contains("alert_send_failed"), "failures are logged");
    for mail in &mails {
        assert!(
            !logs.contains(&mail.not_me_token()),
            "a not-me token reached the log"
        );
    }
    assert_eq!(
        a.scalar_i64(
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL AND idempotency_key <> $1",
            ""
        )
        .await,
        ALERTS as i64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_smtp_configured_means_no_outbox_rows() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("quiet@example.com").await;
    app.login("quiet@example.com").await;
    app.login("quiet@example.com").await;
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM mail_outbox WHERE idempotency_key <> $1",
            ""
        )
        .await,
        0
    );
}

// SEC-18: the page's "Not you?" ends only the caller's own other session, records why, and goes
// on to the password page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_you_on_the_page_revokes_and_leads_to_the_password_page() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let owner = app.signed_in("notyou@example.com").await;
    let other = app.login("notyou@example.com").await;
    let (_, stranger) = {
        app.create_user("stranger@example.com").await;
        ((), app.login("stranger@example.com").await)
    };
    let press = |id: String| {
        app.with_cookie(Method::POST, server_fns::REVOKE, &owner.token)
            .header(header::ORIGIN, &app.base)
            .header(header::ACCEPT, "text/html")
            .form(&[("id", id), ("not_me", "true".to_owned())])
            .send()
    };
    // Someone else's session: not found, nothing ends.
    let foreign = press(stranger.public_id.clone()).await.unwrap();
    assert_ne!(
        header_str(&foreign, "location"),
        Some("/settings/password?not_me=1")
    );
    assert_eq!(app.status_of(&stranger.token).await, StatusCode::OK);

    let response = press(other.public_id.clone()).await.unwrap();
    assert_redirect(&response, "/settings/password?not_me=1");
    assert_eq!(app.status_of(&other.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&owner.token).await, StatusCode::OK);
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE revoked_reason = 'not_me' AND public_id = $1",
            &other.public_id,
        )
        .await,
        1
    );
}

/// Sent messages and links do not pile up: sent messages go a week after sending, links a week
/// after they expired (until then an old link still says "expired").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sent_messages_and_old_links_are_purged_after_a_week() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("purge").await;
    app.login(&email).await;
    app.login(&email).await;
    smtp.wait_for(&email, 1).await;
    let count = |sql: &'static str| app.scalar_i64(sql, "");
    assert_eq!(
        count("SELECT COUNT(*) FROM not_me_tokens WHERE CAST(id AS TEXT) <> $1").await,
        1
    );
    let sent = std::time::Instant::now() + Duration::from_secs(10);
    while count("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL OR $1 <> ''").await > 0 {
        assert!(std::time::Instant::now() < sent, "not marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.clock.advance(8 * 24 * 3600);
    app.state.outbox_wakeup.notify_one();
    let gone = std::time::Instant::now() + Duration::from_secs(20);
    while count("SELECT COUNT(*) FROM mail_outbox WHERE $1 = ''").await > 0 {
        assert!(std::time::Instant::now() < gone, "sent message not purged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        count("SELECT COUNT(*) FROM not_me_tokens WHERE $1 = ''").await,
        1,
        "the link expired a day ago: still there to say so"
    );
    app.clock.advance(7 * 24 * 3600);
    app.state.outbox_wakeup.notify_one();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let left = count(
            "SELECT (SELECT COUNT(*) FROM mail_outbox) + (SELECT COUNT(*) FROM not_me_tokens) \
             + 0 * LENGTH($1)",
        )
        .await;
        if left == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{left} rows not purged"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An intruder who opens the sessions page does not hide their own "New" badge from the owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intruders_visit_does_not_hide_its_new_badge() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let owner = app.signed_in("badge@example.com").await;
    let app = &app;
    let page = |token: &str| {
        let token = token.to_owned();
        async move { app.page_text(pages::SESSIONS, &token).await }
    };
    page(&owner.token).await;
    let intruder = app.login("badge@example.com").await;
    // The intruder opens the page too (and sees the owner's session as new to them).
    page(&intruder.token).await;
    let mine = page(&owner.token).await;
    assert!(
        mine.contains("new-badge"),
        "the intruder's session is New for the owner"
    );
    assert!(mine.contains("1 new sign-in since your last visit"));
    // Opening a dialog's page (no JavaScript) is not a new visit: the badge stays ...
    let dialog = app
        .page_text(
            &format!("{}?not_me={}", pages::SESSIONS, intruder.public_id),
            &owner.token,
        )
        .await;
    assert!(
        dialog.contains("new-badge"),
        "the Not you? dialog's page keeps the badge"
    );
    // ... the next plain visit has seen it.
    assert!(!page(&owner.token).await.contains("new-badge"));
}

/// The account's first sign-in is read from the audit trail, which outlives purged sessions: a
/// new device signing in after every old session was purged is still alerted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_after_old_sessions_were_purged_is_still_alerted() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = format!("purged-{}@example.com", random_hex(6));
    let first = app.signed_in(&email).await;
    app.delete_session(
        &first.token,
        &format!("{}?confirm_current=true", first.public_id),
    )
    .await;
    app.clock.advance(31 * 24 * 3600);
    let app = app.restart().await;
    app.wait_until_purged(&first.public_id).await;
    app.login(&email).await;
    smtp.wait_for(&email, 1).await;
}

/// A link whose session was revoked from the page still forgets that browser (revoking leaves
/// a browser known); once the browser is forgotten too, the link says so and changes nothing.
// SEC-40
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_a_session_that_already_ended_says_so() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = format!("already-{}@example.com", random_hex(6));
    let owner = app.signed_in(&email).await;
    let intruder = app.login(&email).await;
    let token = smtp.wait_for(&email, 1).await[0].not_me_token();
    app.delete_session(&owner.token, &intruder.public_id).await;
    let (_, html) = app.not_me_page(&token).await;
    assert!(html.contains("Not you? Sign out that device"), "{html}");
    app.sign_out_that_device(&token).await;
    let (_, html) = app.not_me_page(&token).await;
    assert!(html.contains("The link forgot that browser"), "{html}");

    let second = app.login(&email).await;
    let token = smtp.wait_for(&email, 2).await[1].not_me_token();
    let others = app.revoke_others(&owner.token).await;
    assert_eq!(others.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.status_of(&second.token).await, StatusCode::UNAUTHORIZED);
    let (_, html) = app.not_me_page(&token).await;
    assert!(html.contains("That device is already signed out"), "{html}");
    app.sign_out_that_device(&token).await;
    let (_, html) = app.not_me_page(&token).await;
    assert!(
        html.contains("That device is already signed out"),
        "still unused: {html}"
    );
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE revoked_reason = 'not_me' AND $1 = ''",
            ""
        )
        .await,
        0
    );
}
