//! Turning the authenticator app off from `/settings/security` through the real server: it needs
//! step-up with the app itself, deletes the app and its recovery codes, drops every session that
//! proved them to the password alone, ends the other sessions when asked, and tells the owner by
//! email; turning it on does too.

use crate::step_up::{STALE, fn_error_code, server_fn, sign_in};
use crate::support::*;
use crate::two_step::Enrolled;
use active_sessions_api::paths::server_fns::TURN_OFF_TOTP;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

impl Enrolled {
    /// `SELECT COUNT(*)` of `table`'s rows of this account (`user_id = $1`).
    async fn count(&self, sql: &'static str) -> i64 {
        self.app.scalar_i64(sql, &self.user_id.0.to_string()).await
    }

    /// Live sessions of the account at level 2.
    async fn strong_sessions(&self) -> i64 {
        self.count(
            "SELECT COUNT(*) FROM sessions WHERE user_id = CAST($1 AS BIGINT) \
             AND revoked_at IS NULL AND assurance_level = 2",
        )
        .await
    }
}

// SEC-54
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_the_app_off_needs_it_and_drops_sessions_to_the_password() {
    let two = Enrolled::new(&[]).await;
    let me = sign_in(&two).await;
    let other = sign_in(&two).await;
    assert_eq!(two.strong_sessions().await, 2);
    two.app.clock.advance(STALE);

    let response = server_fn(&two.app, &me, TURN_OFF_TOTP, &[("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(fn_error_code(response).await, "step_up_required");
    let recovery = two.recovery[0].as_str();
    let form = [("password", PASSWORD), ("code", recovery)];
    let response = server_fn(&two.app, &me, TURN_OFF_TOTP, &form).await;
    assert_eq!(fn_error_code(response).await, "invalid_code");
    let html = two.app.page_text("/settings/security", &me).await;
    assert!(html.contains("Also sign out every other session"), "{html}");
    assert!(html.contains(r#"name="sign_out_others" value="true" checked"#));

    // Turned off, keeping the other sessions: everything the app proved is gone.
    let code = two.code();
    let form = [("password", PASSWORD), ("code", code.as_str())];
    let response = server_fn(&two.app, &me, TURN_OFF_TOTP, &form).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        two.count("SELECT COUNT(*) FROM totp_factors WHERE user_id = CAST($1 AS BIGINT)")
            .await,
        0
    );
    assert_eq!(
        two.count("SELECT COUNT(*) FROM recovery_codes WHERE user_id = CAST($1 AS BIGINT)")
            .await,
        0
    );
    assert_eq!(two.app.status_of(&other).await, StatusCode::OK);
    assert_eq!(two.strong_sessions().await, 0, "both dropped to level 1");
    for token in [&me, &other] {
        let details = two.own_details(token).await;
        assert_eq!(details["mfa_factors"], json!(["password"]), "{details}");
    }
    let html = two.app.page_text("/settings/security", &me).await;
    assert!(html.contains("Set up authenticator app"), "{html}");

    // The password alone signs in again; turning off twice says it is off.
    let response = two.app.login_as(LoginRequest::new(two.email)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = server_fn(&two.app, &me, TURN_OFF_TOTP, &[]).await;
    assert_eq!(fn_error_code(response).await, "invalid_input");
}

// SEC-54
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_the_app_off_can_end_the_others_and_both_changes_are_emailed() {
    let smtp = SmtpServer::shared_or_own().await;
    let email = format!("off-{}@example.com", random_hex(6));
    let email: &'static str = Box::leak(email.into_boxed_str());
    let two = Enrolled::spawn(TestOptions::default().mail(&smtp), email).await;
    let on = smtp.wait_for(email, 1).await;
    assert_eq!(on[0].subject, "Two-step sign-in was turned on");
    let me = sign_in(&two).await;
    let other = sign_in(&two).await;
    let code = two.code();
    let form = [("code", code.as_str()), ("sign_out_others", "true")];
    let response = server_fn(&two.app, &me, TURN_OFF_TOTP, &form).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(two.app.status_of(&other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(two.app.status_of(&me).await, StatusCode::OK);

    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let off = loop {
        let found = smtp
            .messages_to(email)
            .into_iter()
            .find(|m| m.subject == "Two-step sign-in was turned off");
        if let Some(mail) = found {
            break mail;
        }
        assert!(std::time::Instant::now() < deadline, "no turned-off email");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for part in [off.text.as_deref().unwrap(), off.html.as_deref().unwrap()] {
        assert!(part.contains("recovery codes were deleted"), "{part}");
        assert!(
            part.contains("http://sessions.test/settings/password"),
            "{part}"
        );
    }
}
