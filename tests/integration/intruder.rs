//! Getting an intruder who knows the password out for good (issue 21), through the real server
//! and a real SMTP server: the browser as a device with a lifecycle (SEC-40), budgets no other
//! session can spend for the owner (SEC-41), "New" badges no intruder can clear (SEC-42), and
//! signing out keeping your own browser known (SEC-46).

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, Response, StatusCode, header};
use std::time::Duration;

const FIREFOX: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
     Gecko) Chrome/131.0.0.0 Safari/537.36";

/// A browser: its session token and public id, and its device cookie.
struct Browser {
    login: Login,
    device: String,
}

impl TestApp {
    /// Signs in from a browser with `user_agent`, presenting `device` when it has one.
    async fn browser(&self, email: &str, user_agent: &str, device: Option<&str>) -> Browser {
        let login = self
            .login_with(
                LoginRequest::new(email)
                    .user_agent(user_agent)
                    .device(device),
            )
            .await;
        let device = login
            .device
            .clone()
            .or_else(|| device.map(str::to_owned))
            .expect("a device cookie");
        Browser { login, device }
    }

    /// Whether the device record behind `device` (a cookie value) is revoked.
    async fn device_revoked(&self, public_id: &str) -> bool {
        self.scalar_i64(
            "SELECT COUNT(*) FROM sessions s JOIN trusted_devices d ON d.id = s.device_id \
             WHERE s.public_id = $1 AND d.revoked_at IS NOT NULL",
            public_id,
        )
        .await
            == 1
    }

    /// The page's `Not you?` on session `id`, as `token`.
    async fn not_you(&self, token: &str, id: &str) -> Response {
        self.call(server_fns::REVOKE, token, &[("id", id), ("not_me", "true")])
            .await
    }

    /// `POST /api/auth/change_password` as `token` with `current` as the current password.
    async fn change_password_with(&self, token: &str, current: &str) -> Response {
        self.call(
            server_fns::CHANGE_PASSWORD,
            token,
            &[
                ("current_password", current),
                ("new_password", "another good passphrase"),
                ("confirm_password", "another good passphrase"),
            ],
        )
        .await
    }
}

// SEC-40: the link in the alert ends the browser, not just the one session it named: the
// intruder's browser signed in again with its device cookie (no alert) before the owner clicked,
// and that session ends too; the browser is forgotten, so its next sign-in is alerted again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_not_me_link_ends_every_session_of_that_browser_and_forgets_it() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("browser").await;
    let owner = app.browser(&email, FIREFOX, None).await;
    let intruder = app.browser(&email, CHROME, None).await;
    let link = smtp.wait_for(&email, 1).await[0].not_me_token();
    // The same browser again, silently: a known browser is not alerted.
    let again = app.browser(&email, CHROME, Some(&intruder.device)).await;
    smtp.assert_stays_at(&email, 1, Duration::from_millis(1500))
        .await;

    let response = app.sign_out_that_device(&link).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let (_, page) = app.not_me_page(&link).await;
    assert!(page.contains("ended 2 sessions of that browser"), "{page}");
    for token in [&intruder.login.token, &again.login.token] {
        assert_eq!(app.status_of(token).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.status_of(&owner.login.token).await, StatusCode::OK);
    assert!(app.device_revoked(&again.login.public_id).await);
    assert!(!app.device_revoked(&owner.login.public_id).await);

    // Its device cookie no longer makes it known: a new device cookie and a new alert.
    let again = app
        .login_with(
            LoginRequest::new(&email)
                .user_agent(CHROME)
                .device(Some(&intruder.device)),
        )
        .await;
    assert!(again.device.is_some());
    smtp.wait_for(&email, 2).await;
}

// SEC-40: "Not you?" on the page does the same for the row's browser, never the owner's own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_you_on_the_page_ends_that_browser_but_plain_revoke_keeps_it_known() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let email = "rows@example.com";
    app.create_user(email).await;
    let owner = app.browser(email, FIREFOX, None).await;
    let tidy = app.browser(email, FIREFOX, None).await;
    let intruder = app.browser(email, CHROME, None).await;
    let second = app.browser(email, CHROME, Some(&intruder.device)).await;

    // A plain revoke: the owner may just be tidying; that browser stays known.
    let response = app
        .delete_session(&owner.login.token, &tidy.login.public_id)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(!app.device_revoked(&tidy.login.public_id).await);

    let response = app
        .not_you(&owner.login.token, &intruder.login.public_id)
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        app.status_of(&second.login.token).await,
        StatusCode::UNAUTHORIZED,
        "the other session of that browser ended too"
    );
    assert!(app.device_revoked(&second.login.public_id).await);
    assert_eq!(app.status_of(&owner.login.token).await, StatusCode::OK);
    assert!(!app.device_revoked(&owner.login.public_id).await);
}

// SEC-40: sign out all others, a password change and disabling the account forget every browser
// but the caller's; the forgotten one is alerted again when it comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_wide_sign_outs_forget_every_other_browser() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("forget").await;
    let owner = app.browser(&email, FIREFOX, None).await;
    let intruder = app.browser(&email, CHROME, None).await;
    smtp.wait_for(&email, 1).await;

    let response = app.revoke_others(&owner.login.token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(app.device_revoked(&intruder.login.public_id).await);
    assert!(!app.device_revoked(&owner.login.public_id).await);
    let back = app.browser(&email, CHROME, Some(&intruder.device)).await;
    assert_ne!(back.device, intruder.device, "a new device cookie");
    smtp.wait_for(&email, 2).await;

    let response = app.change_password_with(&owner.login.token, PASSWORD).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert!(app.device_revoked(&back.login.public_id).await);
    assert!(!app.device_revoked(&owner.login.public_id).await);

    let disabled = active_sessions::users::service::disable(&app.state, &email)
        .await
        .unwrap();
    assert!(matches!(
        disabled,
        active_sessions::users::service::AdminOutcome::Done { .. }
    ));
    assert!(app.device_revoked(&owner.login.public_id).await);
}

// SEC-41: a stolen session entering wrong current passwords spends its own budget, never the
// owner's: the owner's password change goes through, and the owner's page says which session
// failed. With the budget per account (as before), the owner's change answered 429.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stolen_session_cannot_spend_the_owners_reauth_budget() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let email = "budget@example.com";
    let owner = app.signed_in(email).await;
    let stolen = app.login(email).await;
    let guesses: Vec<_> = (0..14)
        .map(|i| {
            let (client, url) = (app.client.clone(), app.url(server_fns::CHANGE_PASSWORD));
            let cookie = app.cookie(&stolen.token);
            tokio::spawn(async move {
                let guess = format!("wrong guess {i}");
                let form = [
                    ("current_password", guess.as_str()),
                    ("new_password", "another good passphrase"),
                    ("confirm_password", "another good passphrase"),
                ];
                let request = client.post(url).header(header::COOKIE, cookie);
                let request = request.header(header::ACCEPT, "application/json");
                request.form(&form).send().await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }
    let evaluated = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((evaluated, refused), (10, 4), "{statuses:?}");

    let page = app.page_text(pages::SESSIONS, &owner.token).await;
    assert!(
        page.contains("Entered a wrong password 10 times"),
        "the owner sees which session failed"
    );
    let response = app.change_password_with(&owner.token, PASSWORD).await;
    assert!(
        response.status().is_success(),
        "the owner is not locked out: {}",
        response.status()
    );
}

// SEC-41: several stolen sessions together reach the account ceiling (three sessions' budgets);
// past it a session that has failed three times itself is refused, a clean one never is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stolen_sessions_together_meet_an_account_ceiling_the_owner_never_does() {
    let app = TestApp::spawn(TestOptions::default().settings(&[("LOGIN_MAX_FAILURES", "4")])).await;
    let email = "ceiling@example.com";
    let owner = app.signed_in(email).await;
    let mut stolen = Vec::new();
    for _ in 0..4 {
        stolen.push(app.login(email).await);
    }
    // Three sessions spend their own four each: the ceiling (12) is full.
    for session in &stolen[..3] {
        for _ in 0..4 {
            let status = app
                .change_password_with(&session.token, "nope")
                .await
                .status();
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
    }
    // The fourth gets its grace of three, then meets the ceiling.
    let fourth = &stolen[3].token;
    for _ in 0..3 {
        let status = app.change_password_with(fourth, "nope").await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let status = app.change_password_with(fourth, "nope").await.status();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // The owner's session never failed: not refused.
    let response = app.change_password_with(&owner.token, PASSWORD).await;
    assert!(response.status().is_success(), "{}", response.status());
}

// SEC-42: sessions that started after the owner's last visit cannot clear each other's "New",
// whatever they do: the intruder signs in twice and opens the page from both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn later_sessions_cannot_clear_each_others_new_badges() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let owner = app.signed_in("hide@example.com").await;
    app.page_text(pages::SESSIONS, &owner.token).await;
    let first = app.login("hide@example.com").await;
    let second = app.login("hide@example.com").await;
    app.page_text(pages::SESSIONS, &second.token).await;
    app.page_text(pages::SESSIONS, &first.token).await;
    app.page_text(pages::SESSIONS, &second.token).await;
    let page = app.page_text(pages::SESSIONS, &owner.token).await;
    assert!(
        page.contains("2 new sign-ins since your last visit"),
        "{page}"
    );
    assert_eq!(page.matches("new-badge").count(), 2, "{page}");
}

// SEC-42: only a same-origin request or a navigation the person started records a visit; a
// cross-site link (SameSite=Lax carries the cookie) or a client without fetch metadata does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_navigation_records_no_visit() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let owner = app.signed_in("xsite@example.com").await;
    app.page_text(pages::SESSIONS, &owner.token).await;
    app.login("xsite@example.com").await;
    for site in [Some("cross-site"), Some("same-site"), None] {
        let mut request = app.with_cookie(Method::GET, pages::SESSIONS, &owner.token);
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        let page = request.send().await.unwrap().text().await.unwrap();
        assert!(page.contains("new-badge"), "{site:?}");
    }
    let page = app.page_text(pages::SESSIONS, &owner.token).await;
    assert!(page.contains("new-badge"), "none of those was a visit");
    let page = app.page_text(pages::SESSIONS, &owner.token).await;
    assert!(!page.contains("new-badge"), "the owner's own visit was");
}

// SEC-42: a purged session's id is never handed out again (SQLite without AUTOINCREMENT reused
// the highest one), so badges that compare ids cannot be fooled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_ids_never_repeat_after_a_purge() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("ids@example.com").await;
    app.login("ids@example.com").await;
    let newest = app.login("ids@example.com").await;
    let id_sql = "SELECT id FROM sessions WHERE public_id = $1";
    let newest_id = app.scalar_i64(id_sql, &newest.public_id).await;
    let confirm = format!("{}?confirm_current=true", newest.public_id);
    app.delete_session(&newest.token, &confirm).await;
    app.clock.advance(31 * 24 * 3600);
    let app = app.restart().await;
    app.wait_until_purged(&newest.public_id).await;
    let next = app.login("ids@example.com").await;
    assert!(app.scalar_i64(id_sql, &next.public_id).await > newest_id);
}

// SEC-46: signing out keeps the device cookie, so signing in again on the same browser is known:
// no alert, no new device cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_and_in_again_on_the_same_browser_sends_no_alert() {
    let smtp = SmtpServer::shared_or_own().await;
    let app = TestApp::spawn(TestOptions::default().mail(&smtp)).await;
    let email = app.new_account("again").await;
    app.browser(&email, FIREFOX, None).await;
    let laptop = app.browser(&email, CHROME, None).await;
    smtp.wait_for(&email, 1).await;
    let logout = app.logout(&laptop.login.token).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(set_cookie_named(&logout, "device").is_none());
    let clear = header_str(&logout, "clear-site-data").unwrap_or_default();
    assert!(!clear.contains("cookies"), "{clear}");
    let again = app
        .login_with(
            LoginRequest::new(&email)
                .user_agent(CHROME)
                .device(Some(&laptop.device)),
        )
        .await;
    assert!(again.device.is_none(), "still known");
    smtp.assert_stays_at(&email, 1, Duration::from_millis(2500))
        .await;
}

// SEC-13: a CLI grant redeemed while a password change (or "sign out all others") is ending the
// account's sessions waits for it and then sees its approver ended, instead of slipping a live
// CLI session past it (on PostgreSQL each statement sees only what committed before it). The
// password change's transaction is held open here with the account row locked, as it is between
// its first write and its commit; without the lock in redeem, the redeem answered 200 at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cli_redeem_racing_an_account_wide_sign_out_waits_and_is_refused() {
    use active_sessions::sessions::service::{EndReason, EndRequest, EndTarget, EndedBy, end_in};
    let app = TestApp::spawn(TestOptions::default()).await;
    let user_id = app.create_user("race@example.com").await;
    let approver = app.login("race@example.com").await;
    let grant = app.start_grant().await;
    let user_code = grant["user_code"].as_str().unwrap().to_owned();
    let device_code = grant["device_code"].as_str().unwrap().to_owned();
    let approved = app.decide_grant(&approver.token, &user_code, true).await;
    assert_eq!(approved.status(), StatusCode::OK);

    let mut tx = app.state.db.begin_write().await.unwrap();
    active_sessions::users::service::lock_in(&mut tx, user_id)
        .await
        .unwrap();
    let redeem = {
        let (client, url) = (app.client.clone(), app.url(paths::CLI_REDEEM));
        let body = serde_json::json!({ "device_code": device_code });
        tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!redeem.is_finished(), "the redeem waits for the account");
    let all = EndTarget::AllExcept(None);
    let now = app.clock_now();
    let ended = end_in(
        &mut tx,
        user_id,
        EndRequest {
            target: all,
            reason: EndReason::RevokedOthers,
            by: EndedBy::System,
        },
        now,
    )
    .await
    .unwrap();
    assert_eq!(ended.count, 1, "the approver");
    tx.commit().await.unwrap();
    let response = redeem.await.unwrap();
    assert_eq!(error_code(response).await, "access_denied");
}

// SEC-41: a forgotten browser has no failure budget of its own: its wrong passwords count under
// the account (with its device cookie still known they counted under the device).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_browser_has_no_budget_of_its_own() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let email = "nobudget@example.com";
    app.create_user(email).await;
    let owner = app.browser(email, FIREFOX, None).await;
    let intruder = app.browser(email, CHROME, None).await;
    let wrong = |device: String| {
        let app = &app;
        async move {
            let ip = "127.0.0.1";
            let response = app.login_as(
                LoginRequest::new(email)
                    .forwarded_for(ip)
                    .device(Some(&device))
                    .password("not the password"),
            );
            response.await.status()
        }
    };
    let account = format!("account:{email}");
    let failures = || app.state.login_limiter.failures(&account, app.clock_now());
    assert_eq!(
        wrong(intruder.device.clone()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        failures().await.unwrap(),
        0,
        "a known browser spends its own"
    );

    let response = app
        .not_you(&owner.login.token, &intruder.login.public_id)
        .await;
    assert!(response.status().is_success());
    assert_eq!(
        wrong(intruder.device.clone()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(failures().await.unwrap(), 1, "forgotten: the account's");
}
