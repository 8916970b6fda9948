//! Sessions across restarts: graceful, and SIGKILL of the real server binary mid-write.

use crate::support::*;
use reqwest::{StatusCode, header};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

// SEC-35
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_a_graceful_restart() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let kept = app.signed_in("restart@example.com").await;
    let revoked = app.login("restart@example.com").await;
    let cli = app.cli_token(&kept.token).await;
    assert_eq!(
        app.delete_session(&kept.token, &revoked.public_id)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );

    let app = app.restart().await;
    assert_eq!(app.status_of(&kept.token).await, StatusCode::OK);
    assert_eq!(app.bearer_status(&cli).await, StatusCode::OK);
    assert_eq!(
        app.status_of(&revoked.token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.list_json(&kept.token).await.len(), 2);
}

/// The real server binary, for the tests that kill it.
struct Process {
    child: std::process::Child,
    base: String,
}

impl Process {
    async fn start(database_url: &str) -> Self {
        Self::start_with(database_url, None).await
    }

    /// Starts the binary with the failpoint `failpoint` armed (see `platform::failpoint`).
    async fn start_with(database_url: &str, failpoint: Option<&str>) -> Self {
        Self::start_env(database_url, failpoint, &[]).await
    }

    /// [`start_with`](Self::start_with) with more environment variables.
    async fn start_env(
        database_url: &str,
        failpoint: Option<&str>,
        env: &[(String, String)],
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_active-sessions"));
        if let Some(failpoint) = failpoint {
            command.env("ACTIVE_SESSIONS_FAILPOINT", failpoint);
        }
        command.envs(env.iter().map(|(k, v)| (k, v)));
        let child = command
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "active-sessions")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the server binary");
        let base = format!("http://127.0.0.1:{port}");
        let process = Self { child, base };
        let http = client();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = http.get(format!("{}/healthz", process.base)).send().await
                && r.status() == StatusCode::OK
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the server binary did not come up"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        process
    }

    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn process_login(base: &str, email: &str) -> (StatusCode, Option<String>) {
    let response = client()
        .post(format!("{base}/login"))
        .header(header::ACCEPT, "application/json")
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await;
    match response {
        Ok(r) => (r.status(), session_cookie(&r, "session")),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, None),
    }
}

async fn process_status(base: &str, token: &str) -> StatusCode {
    client()
        .get(format!("{base}/api/v1/auth/sessions"))
        .header(header::COOKIE, format!("session={token}"))
        .send()
        .await
        .unwrap()
        .status()
}

// SEC-35
// SEC-36
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_login_loop_leaves_a_consistent_database() {
    // The harness app only prepares the database (account, migrations), then steps aside.
    let mut setup = TestApp::spawn(TestOptions::default()).await;
    setup.create_user("crash@example.com").await;
    setup.create_user("other@example.com").await;
    // The loop signs in to its own account: past the per-user cap it would end `kept`.
    setup.create_user("loop@example.com").await;
    let db = setup.db.clone();
    setup.stop().await;

    let mut server = Process::start(&db.url).await;
    let (status, kept) = process_login(&server.base, "crash@example.com").await;
    assert_eq!(status, StatusCode::OK);
    let kept = kept.unwrap();
    let (_, revoked) = process_login(&server.base, "other@example.com").await;
    let revoked = revoked.unwrap();
    let response = client()
        .post(format!("{}/logout", server.base))
        .header(header::COOKIE, format!("session={revoked}"))
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // A login loop in flight when the process is killed.
    let base = server.base.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let loops: Vec<_> = (0..4)
        .map(|_| {
            let base = base.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if process_login(&base, "loop@example.com").await.1.is_none() {
                        break;
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.kill();
    stop.store(true, Ordering::Relaxed);
    for l in loops {
        l.await.unwrap();
    }

    // Consistent after the crash: integrity check, no orphans, every session with its audit row.
    let check = checked_app(&db).await;
    let orphans = check
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions s WHERE s.user_id NOT IN (SELECT id FROM users) \
             OR NOT EXISTS (SELECT 1 FROM auth_events e WHERE e.event = 'session_created' \
             AND e.session_public_id = s.public_id) OR s.public_id = $1",
            "-",
        )
        .await;
    assert_eq!(orphans, 0, "sessions without owner or audit row");
    let looped = check
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
            "loop@example.com",
        )
        .await;
    assert!(looped >= 1, "the loop was writing when the process died");
    drop(check);

    // Sessions survive the SIGKILL: the old cookie still works, the revoked one does not.
    let server = Process::start(&db.url).await;
    assert_eq!(process_status(&server.base, &kept).await, StatusCode::OK);
    assert_eq!(
        process_status(&server.base, &revoked).await,
        StatusCode::UNAUTHORIZED
    );
}

// SEC-36: a crash at a known point — after a sign-in's session and audit rows are written, before
// they commit — leaves no trace of that sign-in, and everything committed before it intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_write_and_commit_leaves_nothing_half_done() {
    let mut setup = TestApp::spawn(TestOptions::default()).await;
    setup.create_user("before@example.com").await;
    setup.create_user("crash@example.com").await;
    let db = setup.db.clone();
    setup.stop().await;

    let server = Process::start(&db.url).await;
    let (status, before) = process_login(&server.base, "before@example.com").await;
    assert_eq!(status, StatusCode::OK);
    let before = before.unwrap();
    drop(server);

    let mut server = Process::start_with(&db.url, Some("sign_in_before_commit")).await;
    let crashed = client()
        .post(format!("{}/login", server.base))
        .header(header::ACCEPT, "application/json")
        .form(&[("email", "crash@example.com"), ("password", PASSWORD)])
        .send()
        .await;
    assert!(crashed.is_err(), "the process died mid-login: {crashed:?}");
    let exit = server.child.wait().unwrap();
    assert!(!exit.success(), "aborted: {exit:?}");

    let check = checked_app(&db).await;
    let crashed_rows = check
        .scalar_i64(
            "SELECT (SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.email = $1) + (SELECT COUNT(*) FROM auth_events e JOIN users u \
             ON u.id = e.user_id WHERE u.email = $1)",
            "crash@example.com",
        )
        .await;
    assert_eq!(
        crashed_rows, 0,
        "no session or audit row of the crashed sign-in"
    );
    drop(check);

    let server = Process::start(&db.url).await;
    assert_eq!(process_status(&server.base, &before).await, StatusCode::OK);
    let (status, _) = process_login(&server.base, "crash@example.com").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the account signs in normally afterwards"
    );
}

// SEC-36: a crash right after a sign-in commits, before its alert is sent, loses nothing: the
// restarted server sends the alert from the outbox, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_commit_and_send_loses_no_alert() {
    let smtp = SmtpServer::own().await;
    let mut setup = TestApp::spawn(TestOptions::default()).await;
    let email = setup.new_account("crash-alert").await;
    let db = setup.db.clone();
    setup.stop().await;
    let env = smtp.settings();

    let server = Process::start_env(&db.url, None, &env).await;
    let (status, _) = process_login(&server.base, &email).await;
    assert_eq!(status, StatusCode::OK, "the first sign-in");
    drop(server);

    let mut server = Process::start_env(&db.url, Some("sign_in_after_commit"), &env).await;
    let crashed = client()
        .post(format!("{}/login", server.base))
        .header(header::ACCEPT, "application/json")
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await;
    assert!(
        crashed.is_err(),
        "the process died after the commit: {crashed:?}"
    );
    assert!(!server.child.wait().unwrap().success());
    assert!(
        smtp.messages_to(&email).is_empty(),
        "nothing sent before the crash"
    );

    let _server = Process::start_env(&db.url, None, &env).await;
    let mails = smtp.wait_for(&email, 1).await;
    smtp.assert_stays_at(&email, 1, Duration::from_secs(3))
        .await;
    assert_eq!(mails[0].subject, "New sign-in to your account");
}

/// An app on `db` after a crash, once SQLite's integrity check has passed.
async fn checked_app(db: &TestDatabase) -> TestApp {
    let check = TestApp::spawn(TestOptions::default().database(db.clone())).await;
    if engine() == TestEngine::Sqlite {
        let (result,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(check.state.db.pool())
            .await
            .unwrap();
        assert_eq!(result, "ok");
    }
    check
}
