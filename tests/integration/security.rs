//! Secrets at rest and in logs: only hashes are stored, tokens never reach logs, URLs or bodies.

use crate::support::*;
use active_sessions_api::paths::pages;
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn decoded(token: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .expect("base64url token")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(token.as_bytes()))
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// SEC-02
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_hashes_of_tokens_are_stored() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let web = app.signed_in("storage@example.com").await.token;
    let grant = app.start_grant().await;
    let device_code = grant["device_code"].as_str().unwrap().to_owned();
    assert_eq!(
        app.decide_grant(&web, grant["user_code"].as_str().unwrap(), true)
            .await
            .status(),
        StatusCode::OK
    );
    let issued: Value = app.redeem(&device_code).await.json().await.unwrap();
    let cli = issued["token"].as_str().unwrap().to_owned();
    // Use the tokens so that every write path (touch, list) has run.
    app.clock.advance(120);
    assert_eq!(app.status_of(&web).await, StatusCode::OK);
    assert_eq!(app.bearer_status(&cli).await, StatusCode::OK);

    let secrets = [web.clone(), cli.clone(), device_code.clone()];
    let dump = app.dump_database_text().await;
    assert!(!dump.is_empty());
    for secret in &secrets {
        let raw_hex = hex(&decoded(secret));
        for value in &dump {
            let lower = value.to_ascii_lowercase();
            assert!(
                !value.contains(secret.as_str()),
                "a column holds a token in clear"
            );
            assert!(
                !lower.contains(&raw_hex),
                "a column holds a token's raw bytes"
            );
        }
    }
    // What is stored is the SHA-256 of each token.
    for secret in [&web, &cli] {
        let digest = sha256_hex(secret);
        assert!(
            dump.iter()
                .any(|v| v.to_ascii_lowercase().contains(&digest)),
            "the token's SHA-256 is stored"
        );
    }

    // The SQLite files themselves (database, WAL and shared memory) never hold the token.
    if let Some(path) = &app.db.sqlite_path {
        let mut files = Vec::new();
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(bytes) = std::fs::read(&file) {
                files.push((file, bytes));
            }
        }
        assert!(!files.is_empty());
        for (file, bytes) in &files {
            for secret in &secrets {
                assert!(
                    !contains_bytes(bytes, secret.as_bytes()),
                    "{} holds a token",
                    file.display()
                );
                assert!(
                    !contains_bytes(bytes, &decoded(secret)),
                    "{} holds a token's bytes",
                    file.display()
                );
            }
        }
        // Sanity check of the byte search: the stored hash is found in the files.
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(web.as_bytes());
        assert!(
            files.iter().any(|(_, b)| contains_bytes(b, &digest)),
            "the hash is on disk"
        );
    }
}

// SEC-08
// SEC-30
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_reach_logs_urls_or_error_bodies() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("logs@example.com").await;

    // Form login: the redirect URL does not carry the token.
    let response = app
        .request(Method::POST, pages::LOGIN)
        .form(&[
            ("email", "logs@example.com"),
            ("password", PASSWORD),
            ("next", pages::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    let web = session_cookie(&response, app.cookie_name()).unwrap();
    let location = header_str(&response, "location").unwrap().to_owned();
    assert_eq!(location, pages::PASSWORD);
    let web_id = app.list_json(&web).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Use, page, CLI grant, bearer use, revoke, failures, logout.
    app.clock.advance(120);
    assert_eq!(
        app.get_with_cookie(pages::SESSIONS, &web).await.status(),
        StatusCode::OK
    );
    let grant = app.start_grant().await;
    let device_code = grant["device_code"].as_str().unwrap().to_owned();
    assert!(
        !grant["verification_uri_complete"]
            .as_str()
            .unwrap()
            .contains(&device_code)
    );
    app.decide_grant(&web, grant["user_code"].as_str().unwrap(), true)
        .await;
    let issued: Value = app.redeem(&device_code).await.json().await.unwrap();
    let cli = issued["token"].as_str().unwrap().to_owned();
    let cli_id = issued["session_id"].as_str().unwrap().to_owned();
    assert_eq!(app.bearer_status(&cli).await, StatusCode::OK);
    let second_redeem = app.redeem(&device_code).await.text().await.unwrap();
    assert!(
        !second_redeem.contains(&device_code),
        "error body echoes no secret"
    );
    assert_eq!(
        app.delete_session(&web, &cli_id).await.status(),
        StatusCode::NO_CONTENT
    );
    let refused = app.bearer_list(&cli).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(
        !refused.text().await.unwrap().contains(&cli),
        "401 body echoes no token"
    );
    let wrong = app
        .login_as(LoginRequest::new("logs@example.com").password("wrong password"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !wrong.contains("wrong password"),
        "error bodies do not echo the password"
    );
    let response = app.logout_form(&web).await;
    assert!(response.status().is_redirection());
    assert!(!header_str(&response, "location").unwrap().contains(&web));

    let logs = captured_logs();
    assert!(!logs.is_empty(), "logs were captured");
    for secret in [&web, &cli, &device_code] {
        assert!(!logs.contains(secret.as_str()), "a token reached the logs");
        assert!(
            !logs.contains(&sha256_hex(secret)),
            "a token hash reached the logs"
        );
    }
    assert!(!logs.contains(PASSWORD), "a password reached the logs");
    assert!(!logs.contains("wrong password"));

    // SEC-30: the auth events name the public id (and the logs are in UTC).
    let created: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("session_created") && l.contains(&web_id))
        .collect();
    assert_eq!(created.len(), 1, "one creation event for the web session");
    let stamp = created[0].split_whitespace().next().unwrap();
    assert!(stamp.ends_with('Z'), "UTC timestamp: {stamp}");
    assert!(
        time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339).is_ok(),
        "{stamp}"
    );
    assert!(
        logs.lines()
            .any(|l| l.contains("session_revoked") && l.contains(&cli_id)),
        "the revoke of the CLI session is logged with its public id"
    );
    // And the audit table has them too, with the server's (UTC epoch) time.
    let at = app
        .scalar_i64(
            "SELECT at FROM auth_events WHERE event = 'session_revoked' AND session_public_id = $1",
            &cli_id,
        )
        .await;
    assert_eq!(at, app.clock_now().0);
    let logged_out = app
        .scalar_i64(
            "SELECT COUNT(*) FROM auth_events WHERE event = 'session_revoked' AND session_public_id = $1 \
             AND detail = 'logout'",
            &web_id,
        )
        .await;
    assert_eq!(logged_out, 1);
}
