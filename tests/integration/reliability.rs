//! Concurrency and database trouble: several instances, errors, pool exhaustion, SQLite locks.

use crate::support::*;
use active_sessions_api::paths::pages;
use reqwest::{StatusCode, header};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

// SEC-12
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_is_seen_by_every_instance_at_once() {
    let one = TestApp::spawn(TestOptions::default()).await;
    let two = TestApp::spawn(TestOptions::default().sharing(&one)).await;
    let a = one.signed_in("instances@example.com").await;
    let b = two.login("instances@example.com").await;
    // Each instance accepts the other's sessions.
    assert_eq!(two.status_of(&a.token).await, StatusCode::OK);
    assert_eq!(one.status_of(&b.token).await, StatusCode::OK);
    assert_eq!(
        one.status_of(&a.token).await,
        StatusCode::OK,
        "A is in use on instance one"
    );

    // B revokes A through instance two; instance one refuses A on the very next request.
    assert_eq!(
        two.delete_session(&b.token, &a.public_id).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(one.status_of(&a.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(two.status_of(&a.token).await, StatusCode::UNAUTHORIZED);

    // Logout on one instance is seen by the other.
    let response = one.logout(&b.token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(two.status_of(&b.token).await, StatusCode::UNAUTHORIZED);
}

// SEC-25
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_error_gives_a_generic_body() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("broken@example.com").await.token;
    sqlx::query("DROP TABLE auth_events")
        .execute(app.state.db.pool())
        .await
        .unwrap();

    let response = app.login_as(LoginRequest::new("broken@example.com")).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        set_cookies(&response).is_empty(),
        "no session without its audit row"
    );
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).expect("JSON error body");
    assert_eq!(body["error"]["code"], "internal");
    for internal in [
        "auth_events",
        "no such table",
        "relation",
        "sqlite",
        "postgres",
        "SQL",
        "INSERT",
    ] {
        assert!(!text.contains(internal), "{internal:?} leaked in {text}");
    }
    // The cause is in the server log instead.
    assert!(captured_logs().contains("auth_events"));
    // The rest of the app keeps working.
    assert_eq!(app.status_of(&token).await, StatusCode::OK);
}

// SEC-33
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_pool_gives_503_then_recovers() {
    let app = TestApp::spawn(TestOptions::default().settings(&[
        ("DB_MAX_CONNECTIONS", "1"),
        ("DB_ACQUIRE_TIMEOUT_MS", "300"),
    ]))
    .await;
    let token = app.signed_in("pool@example.com").await.token;

    let held = app.state.db.pool().acquire().await.unwrap();
    let started = Instant::now();
    let response = app.list(&token).await;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error_code(response).await, "unavailable");
    assert!(
        elapsed < Duration::from_secs(5),
        "503 within the acquire timeout, took {elapsed:?}"
    );
    app.assert_fails_closed(&token).await;
    drop(held);

    assert_eq!(app.status_of(&token).await, StatusCode::OK);
    assert_eq!(app.healthz().await, StatusCode::OK);
}

// SEC-32
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_never_see_database_is_locked() {
    let app = Arc::new(TestApp::spawn(TestOptions::default()).await);
    for i in 0..8 {
        app.create_user(&format!("writer{i}@example.com")).await;
    }
    // A ticker moves the clock so that every authenticated request also writes last_seen_at.
    let stop = Arc::new(AtomicBool::new(false));
    let ticker = {
        let app = app.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                app.clock.advance(61);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };

    let writers: Vec<_> = (0..8)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let email = format!("writer{i}@example.com");
                let main = app.login(&email).await.token;
                let mut failures = Vec::new();
                let mut latest: Option<String> = None;
                for op in 0..50 {
                    let status = if op % 2 == 0 {
                        let response = app.login_as(LoginRequest::new(&email)).await;
                        let status = response.status();
                        if status == StatusCode::OK {
                            let body: Value = response.json().await.unwrap();
                            latest = body["id"].as_str().map(str::to_owned);
                        }
                        status
                    } else {
                        let id = latest.take().unwrap_or_else(random_public_id);
                        app.delete_session(&main, &id).await.status()
                    };
                    let expected = if op % 2 == 0 {
                        StatusCode::OK
                    } else {
                        StatusCode::NO_CONTENT
                    };
                    if status != expected {
                        failures.push((op, status));
                    }
                    let list = app.list(&main).await.status();
                    if list != StatusCode::OK {
                        failures.push((op, list));
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = Vec::new();
    for writer in writers {
        failures.extend(writer.await.unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    ticker.await.unwrap();
    assert!(failures.is_empty(), "failed operations: {failures:?}");
    assert!(!captured_logs().contains("database is locked"));
}

// SEC-32
// SEC-34: the SQLite case of an unavailable database: 503, then recovery without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writers_wait_for_a_held_lock_then_give_503() {
    if engine() != TestEngine::Sqlite {
        return;
    }
    use sqlx::Connection;
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("locked@example.com").await.token;
    let mut locker = sqlx::SqliteConnection::connect(&app.db.url).await.unwrap();

    // Held for 2 s: the login waits (busy_timeout) and then succeeds.
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut locker)
        .await
        .unwrap();
    let login = {
        let client = app.client.clone();
        let url = app.url(pages::LOGIN);
        tokio::spawn(async move {
            let started = Instant::now();
            let response = client
                .post(url)
                .header(header::ACCEPT, "application/json")
                .form(&[("email", "locked@example.com"), ("password", PASSWORD)])
                .send()
                .await
                .unwrap();
            (response.status(), started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Reads are not blocked by the writer in WAL mode.
    assert_eq!(app.status_of(&token).await, StatusCode::OK);
    sqlx::query("ROLLBACK").execute(&mut locker).await.unwrap();
    let (status, waited) = login.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(
        waited >= Duration::from_millis(1500),
        "the login did wait: {waited:?}"
    );

    // Held longer than busy_timeout: 503, not 500, and no hang.
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut locker)
        .await
        .unwrap();
    let started = Instant::now();
    let response = app.login_as(LoginRequest::new("locked@example.com")).await;
    let elapsed = started.elapsed();
    assert_eq!(
        response.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "after {elapsed:?}"
    );
    assert_eq!(error_code(response).await, "unavailable");
    assert!(
        elapsed >= Duration::from_secs(4),
        "gave up only after busy_timeout: {elapsed:?}"
    );
    sqlx::query("ROLLBACK").execute(&mut locker).await.unwrap();
    locker.close().await.unwrap();
    assert_eq!(
        app.login_as(LoginRequest::new("locked@example.com"))
            .await
            .status(),
        StatusCode::OK
    );
}

// Listing the page routes raises a process-wide "suppress resource loading" flag in
// leptos_router 0.8.17; a page whose resource is first polled while it is up never finishes
// (leptos-rs/leptos#4773). The routes are listed once per process, so building routers (one per
// test server here, in parallel) never stalls a page that is being served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_more_routers_never_stalls_a_page() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let owner = app.signed_in("routers@example.com").await;
    let state = app.state.clone();
    let builder = tokio::task::spawn_blocking(move || {
        for _ in 0..300 {
            drop(active_sessions::server::app(state.clone()));
        }
    });
    let mut served = 0;
    while !builder.is_finished() || served < 20 {
        let page = tokio::time::timeout(
            Duration::from_secs(10),
            app.page_text(pages::SESSIONS, &owner.token),
        )
        .await
        .unwrap_or_else(|_| panic!("page {served} stalled while routers were built"));
        assert!(page.contains("This device"), "{page}");
        served += 1;
    }
    builder.await.unwrap();
}
