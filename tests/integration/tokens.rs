//! Token parsing at the edge: whatever arrives as a cookie or bearer token, the answer is 401.

use crate::support::*;
use active_sessions_api::paths;
use reqwest::{Method, StatusCode, header};

// SEC-05
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_cookies_and_bearer_tokens_are_401_never_500() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let real = app.signed_in("garbage@example.com").await.token;

    let mut values: Vec<String> = vec![
        String::new(),
        "attacker".into(),
        " ".into(),
        "+".repeat(43),
        "=".repeat(43),
        "A".repeat(42),
        "A".repeat(44),
        "A".repeat(10_000),
        format!("{}=", &real[..42]),
        format!("{real}{real}"),
        real[..42].to_owned(),
        format!("{}B", &real[..42]),
        "../../etc/passwd".into(),
        "' OR 1=1--".into(),
        "%00".into(),
        "null".into(),
        "undefined".into(),
        "é".repeat(22),
        "\u{202e}".repeat(10),
        "🦀".repeat(11),
    ];
    // Valid shape, but no such session: looked up, not found.
    values.push(
        active_sessions::sessions::token::SessionToken::generate()
            .expose()
            .to_owned(),
    );
    // Non-canonical encoding of a real token (last character with padding bits set).
    let last = real.chars().last().unwrap();
    let flipped = if last == 'A' { 'B' } else { 'A' };
    values.push(format!("{}{flipped}", &real[..42]));
    // Generated noise: printable ASCII and base64url-shaped strings of every length around 43.
    let mut rng = Rng::new(0x5ec0_5ec0);
    for i in 0..300 {
        let len = if i % 3 == 0 {
            43
        } else {
            rng.below(90) as usize
        };
        let alphabet: &[u8] = if i % 2 == 0 {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        } else {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=!#$%&'()*,.:<>?@[]^`{|}~"
        };
        values.push(
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize] as char)
                .collect(),
        );
    }

    // The list with one header set as given.
    let list_with = |name: header::HeaderName, value: header::HeaderValue| {
        let request = app
            .request(Method::GET, paths::SESSIONS)
            .header(name, value);
        async move { request.send().await.unwrap() }
    };
    for value in &values {
        if let Ok(cookie) = header::HeaderValue::from_str(&app.cookie(value)) {
            let response = list_with(header::COOKIE, cookie).await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "cookie {value:?}"
            );
            assert_eq!(error_code(response).await, "unauthenticated");
        }
        if let Ok(bearer) = header::HeaderValue::from_str(&format!("Bearer {value}")) {
            let response = list_with(header::AUTHORIZATION, bearer).await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "bearer {value:?}"
            );
        }
    }

    // Raw non-UTF-8 bytes and odd schemes.
    for (name, raw) in [
        (header::COOKIE, b"session=\xff\xfe\xfd".as_slice()),
        (
            header::COOKIE,
            b"session=\x80abc; session=\xc3\x28".as_slice(),
        ),
        (
            header::COOKIE,
            b"\xf0\x9f\x92\xa9=\xf0\x9f\x92\xa9".as_slice(),
        ),
        (header::COOKIE, b";;;===;;".as_slice()),
        (header::AUTHORIZATION, b"Bearer".as_slice()),
        (header::AUTHORIZATION, b"Bearer ".as_slice()),
        (header::AUTHORIZATION, b"Basic Zm9vOmJhcg==".as_slice()),
        (header::AUTHORIZATION, b"bearer \xff\xfe".as_slice()),
        (header::AUTHORIZATION, b"Token abc".as_slice()),
    ] {
        let value = header::HeaderValue::from_bytes(raw).unwrap();
        let response = list_with(name.clone(), value).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{name}: {raw:?}"
        );
    }

    // The real token still works, as cookie and as bearer.
    assert_eq!(app.status_of(&real).await, StatusCode::OK);
    assert_eq!(app.bearer_status(&real).await, StatusCode::OK);
}

// SEC-05: a token that does not have the shape of one never reaches the database: 500 requests
// with malformed cookies and bearer tokens, zero uses of the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_tokens_cost_no_database_query() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let real = app.signed_in("noquery@example.com").await.token;
    let mut rng = Rng::new(0x0005_0005);
    let mut values: Vec<String> = vec![
        String::new(),
        "attacker".into(),
        "A".repeat(42),
        "A".repeat(44),
        format!("{}=", &real[..42]),
        "' OR 1=1--".into(),
        "\u{202e}".repeat(10),
    ];
    for _ in 0..243 {
        let len = rng.below(90) as usize;
        let s: String = (0..len)
            .map(|_| char::from(b'!' + rng.below(94) as u8))
            .filter(|c| *c != ';' && *c != ',')
            .collect();
        if active_sessions::sessions::token::SessionToken::parse(&s).is_none() {
            values.push(s);
        }
    }
    let before = app.state.db.uses();
    for value in &values {
        for by_cookie in [true, false] {
            let request = app.request(Method::GET, paths::SESSIONS);
            let request = if by_cookie {
                request.header(header::COOKIE, app.cookie(value))
            } else {
                request.header(header::AUTHORIZATION, format!("Bearer {value}"))
            };
            let status = request.send().await.unwrap().status();
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{value:?}");
        }
    }
    assert_eq!(
        app.state.db.uses() - before,
        0,
        "{} malformed tokens reached the database",
        values.len() * 2
    );
    // The counter does count: one real request uses the pool.
    assert_eq!(app.status_of(&real).await, StatusCode::OK);
    assert!(app.state.db.uses() > before);
}
