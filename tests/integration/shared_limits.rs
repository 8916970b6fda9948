//! Limits shared by every instance: an attacker who spreads requests over two app instances on
//! one database (an SQLite file, or PostgreSQL with `TEST_DATABASE=postgres`) gets one budget,
//! not two (SEC-43).

use crate::support::*;
use active_sessions_api::paths::server_fns;
use reqwest::{Method, Response, StatusCode, header};
use std::sync::Arc;

const OWNER: &str = "owner@example.com";
const OWNER_IP: &str = "198.51.100.7";

/// A login to the owner's account from `ip`, as the trusted proxy forwards it.
fn owner_from(ip: &str) -> LoginRequest<'_> {
    LoginRequest::new(OWNER).forwarded_for(ip)
}

/// Sends `n` requests at once, the even ones through `a` and the odd ones through `b`; their
/// statuses.
async fn split_burst<F, Fut>(a: &Arc<TestApp>, b: &Arc<TestApp>, n: usize, make: F) -> Vec<u16>
where
    F: Fn(Arc<TestApp>, usize) -> Fut,
    Fut: Future<Output = Response> + Send + 'static,
{
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(make(app, i))
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status().as_u16());
    }
    statuses
}

fn count(statuses: &[u16], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status.as_u16()).count()
}

// SEC-43: 40 wrong passwords for one account sent at once, from 40 addresses (so no address
// budget bites), half through each of two instances: at most LOGIN_MAX_FAILURES are evaluated in
// all, and both instances then hold the account to its spent budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_parallel_wrong_passwords_across_two_instances_are_held_to_one_budget() {
    let a =
        TestApp::spawn(TestOptions::default().settings(&[("TRUST_PROXY_HEADERS", "true")])).await;
    let b = TestApp::spawn(TestOptions::default().sharing(&a)).await;
    a.create_user(OWNER).await;
    let first = a.login_as(owner_from(OWNER_IP)).await;
    assert_eq!(first.status(), StatusCode::OK);
    let device = session_cookie(&first, "device").expect("the owner's browser is known");
    let (a, b) = (Arc::new(a), Arc::new(b));
    let verifications = || a.state.hasher.verifications() + b.state.hasher.verifications();

    let before = verifications();
    let statuses = split_burst(&a, &b, 40, |app, i| async move {
        app.login_as(owner_from(&format!("203.0.113.{i}")).password("wrong guess"))
            .await
    })
    .await;
    let evaluated = (verifications() - before) as usize;
    let max = a.state.config.login_max_failures as usize;
    let (refused, limited) = (
        count(&statuses, StatusCode::UNAUTHORIZED),
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
    );
    eprintln!(
        "two instances: {evaluated} of 40 guesses evaluated ({refused} × 401, {limited} × 429), budget {max}"
    );
    assert!(
        evaluated <= max,
        "{evaluated} guesses evaluated, budget {max}"
    );
    assert_eq!(refused, evaluated, "every evaluated guess is a 401");
    assert_eq!(limited, 40 - evaluated, "every other guess is a 429");

    // Either instance holds a browser that never signed in to the spent budget, even with the
    // right password (no oracle), while the owner's known browser has its own budget.
    for app in [&a, &b] {
        let unknown = app.login_as(owner_from("198.51.100.8")).await;
        assert_eq!(unknown.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(header_str(&unknown, "retry-after").is_some());
        let known = app
            .login_as(owner_from(OWNER_IP).device(Some(&device)))
            .await;
        assert_eq!(
            known.status(),
            StatusCode::OK,
            "the owner's browser gets in"
        );
    }

    // Once the window has passed, any browser signs in again.
    let window = a.state.config.login_failure_window.as_secs() as i64;
    a.clock.advance(window + 1);
    b.clock.advance(window + 1);
    let later = b.login_as(owner_from("198.51.100.9")).await;
    assert_eq!(later.status(), StatusCode::OK);
}

// SEC-43: not-me lookups from one address, sent at once and split across two instances, are held
// to the one budget of 30 a minute.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_not_me_lookups_across_two_instances_are_held_to_one_budget() {
    let a = Arc::new(TestApp::spawn(TestOptions::default()).await);
    let b = Arc::new(TestApp::spawn(TestOptions::default().sharing(&a)).await);
    let statuses = split_burst(&a, &b, 80, |app, _| async move {
        let token = active_sessions::sessions::token::SessionToken::generate();
        app.request(Method::POST, server_fns::NOT_ME_VIEW)
            .header(header::ORIGIN, &app.base)
            .header(header::ACCEPT, "application/json")
            .form(&[("token", token.expose())])
            .send()
            .await
            .unwrap()
    })
    .await;
    let (looked_up, limited) = (
        count(&statuses, StatusCode::NOT_FOUND),
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
    );
    eprintln!("two instances: {looked_up} of 80 not-me lookups answered, {limited} × 429");
    assert_eq!(looked_up, 30, "{statuses:?}");
    assert_eq!(limited, 50);

    // A minute later the address may look up again, through either instance.
    a.clock.advance(61);
    b.clock.advance(61);
    let token = active_sessions::sessions::token::SessionToken::generate();
    let again = b
        .request(Method::POST, server_fns::NOT_ME_VIEW)
        .header(header::ORIGIN, &b.base)
        .header(header::ACCEPT, "application/json")
        .form(&[("token", token.expose())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}
