//! Secrets stay out of output (SEC-45): a not-me link's token never reaches the access log, and
//! the passwords in `DATABASE_URL` and `SMTP_URL` never reach an error, the log or the server
//! binary's output.

use crate::support::*;
use active_sessions::platform::clock::ManualClock;
use active_sessions::platform::config::Config;
use active_sessions::server;
use active_sessions_api::paths::pages;
use leptos::prelude::LeptosOptions;
use reqwest::{Method, StatusCode, header};
use std::sync::Arc;

const PASSWORD_IN_URL: &str = "Db-s3cret-pw";

// SEC-45: visiting a not-me link (and posting to it from another site) logs `/not-me/…`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_me_tokens_never_reach_the_access_log() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = random_hex(22)[..43].to_owned();
    let response = app.get(&pages::not_me(&token)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the page, saying the link is not valid"
    );
    let refused = app
        .request(Method::POST, &format!("{}?again=1", pages::not_me(&token)))
        .header(header::ORIGIN, "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let logs = captured_logs();
    assert!(logs.contains("uri=/not-me/…"), "the request was logged");
    assert!(!logs.contains(&token), "a not-me token reached the log");
}

fn config(database_url: &str) -> Config {
    let database_url = database_url.to_owned();
    Config::from_lookup(move |name| match name {
        "DATABASE_URL" => Some(database_url.clone()),
        "DB_ACQUIRE_TIMEOUT_MS" => Some("500".to_owned()),
        _ => None,
    })
    .expect("valid config")
}

/// A loopback port with nothing listening.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Database URLs that fail: an engine we do not speak, nothing listening, a password with an
/// unencoded `/` (a URL the driver cannot parse), a password in the query.
fn failing_database_urls() -> Vec<String> {
    let port = closed_port();
    vec![
        format!("mysql://app:{PASSWORD_IN_URL}@db.example/sessions"),
        format!("postgres://app:{PASSWORD_IN_URL}@127.0.0.1:{port}/sessions"),
        format!("postgres://app:{PASSWORD_IN_URL}/x@127.0.0.1:{port}/sessions"),
        format!("postgres://127.0.0.1:{port}/sessions?user=app&password={PASSWORD_IN_URL}"),
    ]
}

// SEC-45: every way of failing to open the database names the URL without its password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_passwords_never_reach_errors_or_logs() {
    init_logging();
    for url in failing_database_urls() {
        let options = LeptosOptions::builder()
            .output_name("active-sessions")
            .site_root("target/site")
            .build();
        let config = config(&url);
        assert!(!format!("{config:?}").contains(PASSWORD_IN_URL));
        let error = server::build_state(config, options, Arc::new(ManualClock::new()))
            .await
            .err()
            .unwrap_or_else(|| panic!("{url} opened"));
        let shown = format!("{error} | {error:#} | {error:?}");
        assert!(
            !shown.contains(PASSWORD_IN_URL),
            "password in the error: {shown}"
        );
    }
    assert!(
        !captured_logs().contains(PASSWORD_IN_URL),
        "password in the log"
    );
}

// SEC-45: the server binary says why it cannot start, without the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_binary_prints_no_password() {
    let mut runs: Vec<Vec<(&str, String)>> = failing_database_urls()
        .into_iter()
        .map(|url| {
            vec![
                ("DATABASE_URL", url),
                ("DB_ACQUIRE_TIMEOUT_MS", "500".into()),
            ]
        })
        .collect();
    runs.push(vec![
        (
            "SMTP_URL",
            format!("http://mailer:{PASSWORD_IN_URL}@127.0.0.1:25"),
        ),
        ("MAIL_FROM", "alerts@sessions.test".into()),
        ("PUBLIC_URL", "https://sessions.test".into()),
    ]);
    for env in runs {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_active-sessions"))
            .arg("serve")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", closed_port()))
            .env("LEPTOS_OUTPUT_NAME", "active-sessions")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("RUST_LOG", "debug")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .kill_on_drop(true)
            .output()
            .await
            .expect("run the server binary");
        assert!(!output.status.success(), "{env:?} started");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(printed.contains("active-sessions: "), "a reason: {printed}");
        assert!(
            !printed.contains(PASSWORD_IN_URL),
            "{env:?}: password printed: {printed}"
        );
    }
}
