//! Two-step sign-in (issue 23), the codes themselves: an authenticator code is accepted once, also
//! when sent in parallel; a recovery code works once and is stored hashed; the secret is sealed
//! and the server does not start without its key.

use crate::support::*;
use crate::two_step::Enrolled;
use active_sessions::factors::totp;
use active_sessions::platform::config::Config;
use active_sessions::server;
use active_sessions_api::paths::{self, pages};
use leptos::prelude::LeptosOptions;
use reqwest::{Method, StatusCode, header};
use std::sync::Arc;

// SEC-48
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_accepted_once() {
    let two = Enrolled::new(&[]).await;
    let code = two.code();
    let first = two.password_step().await;
    assert_eq!(two.send_code(&first, &code).await.status(), StatusCode::OK);
    let second = two.password_step().await;
    let replay = two.send_code(&second, &code).await;
    assert_eq!(error_code(replay).await, "invalid_code");
    assert_eq!(two.sessions().await, 1);
    // The next time step's code works.
    two.app.clock.advance(30);
    assert_eq!(
        two.send_code(&second, &two.code()).await.status(),
        StatusCode::OK
    );
    assert_eq!(two.sessions().await, 2);
}

// SEC-48
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_code_sent_in_parallel_signs_in_once() {
    let two = Enrolled::new(&[("LOGIN_MAX_FAILURES", "100")]).await;
    let mut pendings = Vec::new();
    for _ in 0..10 {
        pendings.push(two.password_step().await);
    }
    let code = two.code();
    let url = two.app.url("/login/code");
    let sends: Vec<_> = pendings
        .into_iter()
        .map(|pending| {
            let (client, url, code) = (two.app.client.clone(), url.clone(), code.clone());
            tokio::spawn(async move {
                let form = [("pending", pending), ("code", code)];
                let request = client.post(url).header(header::ACCEPT, "application/json");
                request.form(&form).send().await.expect("code request")
            })
        })
        .collect();
    let mut ok = 0;
    for send in sends {
        let response = send.await.unwrap();
        match response.status() {
            StatusCode::OK => ok += 1,
            StatusCode::UNAUTHORIZED => assert_eq!(error_code(response).await, "invalid_code"),
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        ok, 1,
        "exactly one of ten parallel uses of one code signs in"
    );
    assert_eq!(two.sessions().await, 1);
}

// SEC-50
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_code_works_once() {
    let two = Enrolled::new(&[]).await;
    assert_eq!(two.recovery.len(), 10);
    let code = two.recovery[3].to_uppercase();
    let pending = two.password_step().await;
    let response = two.send_code(&pending, &code).await;
    assert_eq!(response.status(), StatusCode::OK);
    let login = two.app.login_session(response).await;
    let mine = two.own_details(&login.token).await;
    assert_eq!(
        mine["mfa_factors"],
        serde_json::json!(["password", "recovery_code"])
    );
    let pending = two.password_step().await;
    let again = two.send_code(&pending, &two.recovery[3]).await;
    assert_eq!(error_code(again).await, "invalid_code");
    assert_eq!(
        two.send_code(&pending, &two.recovery[4]).await.status(),
        StatusCode::OK
    );
    // Stored hashed: no code appears in the database.
    let dump = two.app.dump_database_text().await.join("\n");
    for code in &two.recovery {
        assert!(!dump.contains(code.as_str()) && !dump.contains(&code.replace('-', "")));
    }
}

// SEC-47
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_sealed_and_the_key_is_required_while_factors_exist() {
    let two = Enrolled::new(&[]).await;
    let sql = "SELECT COUNT(*) FROM totp_factors WHERE user_id = CAST($1 AS BIGINT)";
    assert_eq!(two.app.scalar_i64(sql, &two.user_id.0.to_string()).await, 1);
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT secret_sealed FROM totp_factors")
        .fetch_one(two.app.state.db.pool())
        .await
        .unwrap();
    assert!(
        !sealed
            .windows(two.secret.len())
            .any(|w| w == two.secret.as_slice())
    );
    let dump = two.app.dump_database_text().await.join("\n");
    assert!(!dump.contains(&totp::base32(&two.secret)));

    // Without the key that sealed them, the server refuses to start and says why.
    let mut settings = two.app.settings.clone();
    settings.remove("SECRETS_KEY");
    let config = Config::from_lookup(|k| settings.get(k).cloned()).unwrap();
    let options = LeptosOptions::builder()
        .output_name("active-sessions")
        .site_root("target/site")
        .build();
    let clock = Arc::new(two.app.clock.clone());
    let refused = server::build_state(config, options.clone(), clock).await;
    let message = format!("{:#}", refused.err().expect("start refused"));
    assert!(message.contains("SECRETS_KEY is not set"), "{message}");
    // A well-formed key that did not seal them is refused too, before anything is served.
    settings.insert(
        "SECRETS_KEY".into(),
        "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".into(),
    );
    let config = Config::from_lookup(|k| settings.get(k).cloned()).unwrap();
    let clock = Arc::new(two.app.clock.clone());
    let refused = server::build_state(config, options.clone(), clock).await;
    let message = format!("{:#}", refused.err().expect("start refused"));
    assert!(
        message.contains("not the key they were sealed with"),
        "{message}"
    );
    // The right key starts.
    let config = Config::from_lookup(|k| two.app.settings.get(k).cloned()).unwrap();
    let clock = Arc::new(two.app.clock.clone());
    server::build_state(config, options.clone(), clock)
        .await
        .expect("the key that sealed them starts");
    // A malformed key is refused naming the variable, without echoing it.
    settings.insert("SECRETS_KEY".into(), "hunter2".into());
    let err = Config::from_lookup(|k| settings.get(k).cloned()).unwrap_err();
    assert_eq!(err.variable(), "SECRETS_KEY");
    assert!(!err.to_string().contains("hunter2"));
}

// SEC-04: finishing the second step in a browser ends the session that browser had, also one
// unused for over a minute (looking it up records its use: on SQLite that write once waited for
// the sign-in's own write lock, failed after 5 s and left the old session live).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_step_ends_the_session_the_browser_had() {
    let two = Enrolled::new(&[]).await;
    let old = crate::step_up::sign_in(&two).await;
    two.app.clock.advance(120);
    let pending = two.password_step().await;
    let code = two.code();
    let response = two
        .app
        .with_cookie(Method::POST, pages::LOGIN_CODE, &old)
        .header(header::ACCEPT, "application/json")
        .form(&[("pending", pending.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let new = two.app.login_session(response).await;
    assert_ne!(new.token, old);
    assert_eq!(two.app.status_of(&old).await, StatusCode::UNAUTHORIZED);
    assert_eq!(two.app.status_of(&new.token).await, StatusCode::OK);
}

// SEC-49: a password step waiting for its code does not outlive "Sign out all other sessions" or
// a password change: whoever holds it cannot finish it afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_password_step_ends_with_the_other_sessions() {
    let two = Enrolled::new(&[]).await;
    let me = crate::step_up::sign_in(&two).await;
    let waiting = two.password_step().await;
    let response = two
        .app
        .with_cookie(Method::POST, paths::REVOKE_OTHERS, &me)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    two.app.clock.advance(30);
    let response = two.send_code(&waiting, &two.code()).await;
    assert_eq!(error_code(response).await, "expired_token");

    let waiting = two.password_step().await;
    let new = "another good passphrase";
    let change = [
        ("current_password", PASSWORD),
        ("new_password", new),
        ("confirm_password", new),
    ];
    let response =
        crate::step_up::server_fn(&two.app, &me, paths::server_fns::CHANGE_PASSWORD, &change).await;
    assert!(response.status().is_success(), "{}", response.status());
    two.app.clock.advance(30);
    let response = two.send_code(&waiting, &two.code()).await;
    assert_eq!(error_code(response).await, "expired_token");
}
