//! Limits around login: body and password size, hashing under load, timing and rate limits.

use crate::support::*;
use active_sessions_api::paths::pages;
use reqwest::{Method, StatusCode, header};
use serde_json::Value;
use std::time::{Duration, Instant};

// SEC-26
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_and_passwords_are_refused_early() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("big@example.com").await;

    // 2 MB announced by Content-Length: refused before the body is read.
    let body = vec![b'a'; 2 * 1024 * 1024];
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        app.addr,
        body.len()
    );
    assert_eq!(raw_status(app.addr, &head, body.clone(), false).await, 413);

    // The same without a length (chunked): cut off at the limit, never processed.
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
        app.addr
    );
    let status = raw_status(app.addr, &head, body, true).await;
    assert!(
        status == 413 || status == 400,
        "chunked 2 MB body: {status}"
    );

    // A 1 MB password never reaches the form parser either.
    let huge = format!(
        "email=big%40example.com&password={}",
        "p".repeat(1024 * 1024)
    );
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        app.addr,
        huge.len()
    );
    let started = Instant::now();
    assert_eq!(
        raw_status(app.addr, &head, huge.into_bytes(), false).await,
        413
    );
    assert!(started.elapsed() < Duration::from_secs(2));

    // A 10 KiB password fits the body limit but not the password cap: 400 without hashing.
    let long = "p".repeat(10 * 1024);
    let started = Instant::now();
    let response = app
        .login_as(LoginRequest::new("big@example.com").password(&long))
        .await;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_input");
    assert!(
        elapsed < Duration::from_secs(2),
        "refused quickly, took {elapsed:?}"
    );

    // Same cap on the JSON API.
    let token = app.login("big@example.com").await.token;
    let body = vec![b' '; 64 * 1024];
    let head = format!(
        "POST /api/v1/auth/sessions/revoke-others HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        app.addr,
        app.cookie(&token),
        body.len()
    );
    assert_eq!(raw_status(app.addr, &head, body, false).await, 413);
    assert_eq!(app.status_of(&token).await, StatusCode::OK);
}

// SEC-27
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_logins_finish_and_the_list_keeps_answering() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("burst@example.com").await;
    let watcher = app.signed_in("watcher@example.com").await.token;

    let logins: Vec<_> = (0..50)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url(pages::LOGIN);
            tokio::spawn(async move {
                client
                    .post(url)
                    .header(header::ACCEPT, "application/json")
                    .form(&[("email", "burst@example.com"), ("password", PASSWORD)])
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();

    // While the hashes run, the list API (no hashing) keeps answering promptly.
    let mut latencies = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        assert_eq!(app.status_of(&watcher).await, StatusCode::OK);
        latencies.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let mut ok = 0;
    for login in logins {
        let status = tokio::time::timeout(Duration::from_secs(120), login)
            .await
            .expect("every login finishes")
            .unwrap()
            .expect("no transport error");
        assert_eq!(status, StatusCode::OK);
        ok += 1;
    }
    assert_eq!(ok, 50);
    latencies.sort();
    let worst = *latencies.last().unwrap();
    assert!(
        worst < Duration::from_secs(2),
        "list latency under load: {latencies:?}"
    );
    assert_eq!(app.status_of(&watcher).await, StatusCode::OK);
}

// SEC-28
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_does_not_reveal_whether_an_account_exists() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("LOGIN_MAX_FAILURES", "1000")])).await;
    app.create_user("exists@example.com").await;

    let known: Value = app
        .login_body(LoginRequest::new("exists@example.com").password("wrong password"))
        .await;
    let unknown: Value = app
        .login_body(LoginRequest::new("ghost@example.com").password("wrong password"))
        .await;
    assert_eq!(known, unknown, "identical bodies");

    // Timing: medians of interleaved samples. The machine may be busy with other tests, so a
    // noisy round is measured again (at most three rounds).
    let mut ratios = Vec::new();
    for _round in 0..3 {
        let mut known_times = Vec::new();
        let mut unknown_times = Vec::new();
        for i in 0..10 {
            for which in [i % 2 == 0, i % 2 != 0] {
                let email = if which {
                    "exists@example.com"
                } else {
                    "ghost@example.com"
                };
                let started = Instant::now();
                let response = app
                    .login_as(LoginRequest::new(email).password("wrong password"))
                    .await;
                let elapsed = started.elapsed();
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
                if which {
                    known_times.push(elapsed);
                } else {
                    unknown_times.push(elapsed);
                }
            }
        }
        let ratio = median(&unknown_times).as_secs_f64() / median(&known_times).as_secs_f64();
        ratios.push(ratio);
        if (0.8..=1.25).contains(&ratio) {
            return;
        }
    }
    panic!("unknown/known median login time ratios out of 0.8–1.25: {ratios:?}");
}

// SEC-29
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eleventh_failure_is_rate_limited_per_account() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("limited@example.com").await;
    for i in 0..10 {
        let response = app
            .login_as(LoginRequest::new("limited@example.com").password("wrong password"))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {}",
            i + 1
        );
    }
    let response = app
        .login_as(LoginRequest::new("limited@example.com").password("wrong password"))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = header_str(&response, "retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60, "{retry_after}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Even the right password is refused while limited (no oracle for guessing).
    let response = app.login_as(LoginRequest::new("limited@example.com")).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);

    // After the window the account can sign in again.
    app.clock.advance(15 * 60 + 1);
    assert_eq!(
        app.login_as(LoginRequest::new("limited@example.com"))
            .await
            .status(),
        StatusCode::OK
    );
}

// SEC-29
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spoofed_forwarded_for_does_not_reset_the_ip_limit() {
    let app = TestApp::spawn(TestOptions::default()).await;
    // Ten failures from this IP, each for a different unknown account.
    for i in 0..10 {
        let response = app
            .login_as(LoginRequest::new(&format!("nobody{i}@example.com")).password("wrong"))
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    for spoof in ["203.0.113.7", "198.51.100.1, 203.0.113.9", "::1"] {
        let response = app
            .request(Method::POST, pages::LOGIN)
            .header(header::ACCEPT, "application/json")
            .header("x-forwarded-for", spoof)
            .header("x-real-ip", "203.0.113.8")
            .form(&[("email", "fresh@example.com"), ("password", "wrong")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "X-Forwarded-For: {spoof}"
        );
        assert!(header_str(&response, "retry-after").is_some());
    }
}

// SEC-29
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_is_used_only_when_trusted() {
    let app =
        TestApp::spawn(TestOptions::default().settings(&[("TRUST_PROXY_HEADERS", "true")])).await;
    let attempt = |xff: &'static str, email: String| {
        let app = &app;
        async move {
            app.request(Method::POST, pages::LOGIN)
                .header(header::ACCEPT, "application/json")
                .header("x-forwarded-for", xff)
                .form(&[("email", email.as_str()), ("password", "wrong")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for i in 0..10 {
        assert_eq!(
            attempt("203.0.113.7", format!("a{i}@example.com")).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("203.0.113.7", "a10@example.com".into()).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Behind a trusted proxy, another client address has its own budget.
    assert_eq!(
        attempt("203.0.113.99", "b@example.com".into()).await,
        StatusCode::UNAUTHORIZED
    );
    // The proxy appends the real address: a client-supplied prefix does not help.
    assert_eq!(
        attempt("198.51.100.1, 203.0.113.7", "c@example.com".into()).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
