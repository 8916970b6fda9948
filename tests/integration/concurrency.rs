//! Budgets that hold when the requests come all at once: a burst of guesses is evaluated against
//! the budget, not past it, and a full hashing queue answers at once instead of stalling.

use crate::support::*;
use active_sessions_api::paths;
use reqwest::{Method, StatusCode, header};
use std::sync::Arc;

/// Sends `n` requests built by `make` at once; their statuses.
async fn burst<F, Fut>(n: usize, make: F) -> Vec<StatusCode>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = reqwest::Response> + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(make(i))).collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status());
    }
    statuses
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// At most LOGIN_MAX_FAILURES of the burst were evaluated (verifications since `before`), each
/// of them a 401, and every other request was refused with 429.
fn assert_held_to_budget(app: &TestApp, before: u64, statuses: &[StatusCode]) {
    let max = app.state.config.login_max_failures as usize;
    let evaluated = (app.state.hasher.verifications() - before) as usize;
    assert!(
        evaluated <= max,
        "{evaluated} guesses evaluated, budget {max}"
    );
    assert_eq!(count(statuses, StatusCode::UNAUTHORIZED), evaluated);
    assert_eq!(
        count(statuses, StatusCode::TOO_MANY_REQUESTS),
        statuses.len() - evaluated
    );
}

// SEC-29, SEC-27: 40 wrong passwords sent at once are evaluated at most LOGIN_MAX_FAILURES times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_parallel_wrong_passwords_are_held_to_the_budget() {
    let app = Arc::new(TestApp::spawn(TestOptions::default()).await);
    app.create_user("target@example.com").await;
    let before = app.state.hasher.verifications();
    let statuses = burst(40, |_| {
        let app = app.clone();
        async move {
            app.login_as(LoginRequest::new("target@example.com").password("wrong guess"))
                .await
        }
    })
    .await;
    assert_held_to_budget(&app, before, &statuses);
    // The owner is not let in past the spent budget either: same address, same account.
    let owner = app.login_as(LoginRequest::new("target@example.com")).await;
    assert_eq!(owner.status(), StatusCode::TOO_MANY_REQUESTS);
}

// SEC-17, SEC-29: the re-authentication of a stale session holds to its budget under a burst.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_reauthentication_guesses_are_held_to_the_budget() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("REAUTH_WINDOW_SECS", "60")])).await;
    let token = app.signed_in("stale@example.com").await.token;
    app.clock.advance(120);
    let app = Arc::new(app);
    let before = app.state.hasher.verifications();
    let statuses = burst(30, |_| {
        let app = app.clone();
        let cookie = app.cookie(&token);
        async move {
            app.request(Method::POST, paths::REVOKE_OTHERS)
                .header(header::COOKIE, cookie)
                .json(&serde_json::json!({ "password": "wrong guess" }))
                .send()
                .await
                .unwrap()
        }
    })
    .await;
    assert_held_to_budget(&app, before, &statuses);
}

// SEC-27: past the hashing queue, logins are refused at once with 503 and Retry-After.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_hashing_queue_answers_503_at_once() {
    let app = TestApp::spawn(TestOptions::default().settings(&[
        ("PASSWORD_HASH_CONCURRENCY", "1"),
        ("PASSWORD_HASH_QUEUE", "1"),
        ("LOGIN_MAX_FAILURES", "1000"),
    ]))
    .await;
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.login_as(LoginRequest::new(&format!("nobody{i}@example.com")).password("guess"))
                    .await
            })
        })
        .collect();
    let mut busy = 0;
    for task in tasks {
        let response = task.await.unwrap();
        match response.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(header_str(&response, "retry-after"), Some("1"));
                assert_eq!(error_code(response).await, "unavailable");
                busy += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(busy > 0, "24 logins at once overflow a queue of 1");
}
