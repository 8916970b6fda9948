//! Fuzzing the form and JSON parsers through the real server: random, hostile bodies to every
//! endpoint that parses one. Nothing answers 500, nothing panics, and the server keeps serving.
//! `FUZZ_ROUNDS` makes the run longer on demand (default 150 bodies per endpoint).

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, StatusCode, header};

/// Bytes that tend to break parsers: separators, escapes, quotes, NUL, bidi, long runs.
const PIECES: &[&str] = &[
    "email=",
    "password=",
    "id=",
    "code=",
    "approve=",
    "confirm_current=",
    "kind=",
    "next=",
    "label=",
    "&",
    "=",
    "%",
    "%00",
    "%zz",
    "%C3%28",
    "+",
    "\"",
    "'",
    "\\",
    "{",
    "}",
    "[",
    "]",
    "device_code",
    ":",
    ",",
    "null",
    "true",
    "-1",
    "\u{202E}",
    "é",
    "\u{0}",
    "<script>",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "web",
    "cli",
    "&&&&",
    "==",
];

fn body(rng: &mut Rng) -> String {
    let parts = rng.below(12) as usize;
    let mut text = String::new();
    for _ in 0..parts {
        if rng.below(5) == 0 {
            let len = rng.below(300) as usize;
            text.extend((0..len).map(|_| char::from(b' ' + rng.below(95) as u8)));
        } else {
            text.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
        }
    }
    text
}

// SEC-05, SEC-22, SEC-25: hostile form and JSON bodies never reach a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_bodies_of_every_parsing_endpoint() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("fuzz@example.com").await.token;
    let rounds: u64 = std::env::var("FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let endpoints = [
        (pages::LOGIN, "application/x-www-form-urlencoded"),
        (server_fns::REVOKE, "application/x-www-form-urlencoded"),
        (
            server_fns::REVOKE_OTHERS,
            "application/x-www-form-urlencoded",
        ),
        (server_fns::CLI_DECIDE, "application/x-www-form-urlencoded"),
        (
            server_fns::CHANGE_PASSWORD,
            "application/x-www-form-urlencoded",
        ),
        (paths::CLI_REDEEM, "application/json"),
        (paths::REVOKE_OTHERS, "application/json"),
    ];
    let mut rng = Rng::new(0x5EC0_0005);
    for (path, content_type) in endpoints {
        for _ in 0..rounds {
            let body = body(&mut rng);
            let response = app
                .with_cookie(Method::POST, path, &token)
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, content_type)
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(
                !response.status().is_server_error(),
                "{path} answered {} to {body:?}",
                response.status()
            );
        }
    }
    assert_eq!(app.healthz().await, StatusCode::OK);
}
