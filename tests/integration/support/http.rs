//! Helpers on raw HTTP: cookies, error bodies, headers, a raw socket client and small utilities.

use reqwest::{Response, header};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;

/// A logged-in session.
#[derive(Clone, Debug)]
pub struct Login {
    /// The secret token (cookie value).
    pub token: String,
    /// Its public id.
    pub public_id: String,
    /// The device cookie the login set, if it set one.
    pub device: Option<String>,
}

/// What a login sends: `LoginRequest::new(email)` is the test password from a client with no
/// `User-Agent`, no forwarded address and no device cookie; each method changes one of those.
#[derive(Clone, Copy, Debug)]
pub struct LoginRequest<'a> {
    /// The account's email.
    pub email: &'a str,
    /// The password typed.
    pub password: &'a str,
    /// The `User-Agent` header.
    pub user_agent: Option<&'a str>,
    /// The client address as a trusted proxy forwards it (`X-Forwarded-For`).
    pub forwarded_for: Option<&'a str>,
    /// The `device` cookie presented.
    pub device: Option<&'a str>,
}

impl<'a> LoginRequest<'a> {
    /// `email` with the test password.
    pub fn new(email: &'a str) -> Self {
        Self {
            email,
            password: super::PASSWORD,
            user_agent: None,
            forwarded_for: None,
            device: None,
        }
    }

    /// Types `password` instead.
    pub fn password(self, password: &'a str) -> Self {
        Self { password, ..self }
    }

    /// Sends this `User-Agent`.
    pub fn user_agent(self, user_agent: &'a str) -> Self {
        Self {
            user_agent: Some(user_agent),
            ..self
        }
    }

    /// Comes from `ip` through a trusted proxy.
    pub fn forwarded_for(self, ip: &'a str) -> Self {
        Self {
            forwarded_for: Some(ip),
            ..self
        }
    }

    /// Presents `device` as the device cookie (none when `None`).
    pub fn device(self, device: Option<&'a str>) -> Self {
        Self { device, ..self }
    }
}

/// Every `Set-Cookie` header of a response.
pub fn set_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ASCII Set-Cookie").to_owned())
        .collect()
}

/// The `Set-Cookie` header for cookie `name`, if any.
pub fn set_cookie_named(response: &Response, name: &str) -> Option<String> {
    set_cookies(response).into_iter().find(|c| {
        c.split(';')
            .next()
            .and_then(|kv| kv.split_once('='))
            .is_some_and(|(k, _)| k.trim() == name)
    })
}

/// The value the response sets for cookie `name` (None when absent or when it is cleared).
pub fn session_cookie(response: &Response, name: &str) -> Option<String> {
    let header = set_cookie_named(response, name)?;
    let value = header
        .split(';')
        .next()?
        .split_once('=')?
        .1
        .trim()
        .to_owned();
    (!value.is_empty()).then_some(value)
}

/// Attributes of a `Set-Cookie` header, lower-cased names with optional values.
pub fn cookie_attributes(set_cookie: &str) -> Vec<(String, Option<String>)> {
    set_cookie
        .split(';')
        .skip(1)
        .map(|attr| {
            let attr = attr.trim();
            match attr.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim().to_owned())),
                None => (attr.to_ascii_lowercase(), None),
            }
        })
        .collect()
}

/// The JSON error code of a response body `{"error": {"code", ...}}`.
pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.expect("JSON error body");
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
        .to_owned()
}

/// Asserts that `response` redirects to `location`.
pub fn assert_redirect(response: &Response, location: &str) {
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(header_str(response, "location"), Some(location));
}

/// A header as text.
pub fn header_str<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A public id that nobody has (valid shape).
pub fn random_public_id() -> String {
    active_sessions::sessions::token::random_public_id()
}

/// A small deterministic PRNG for generated inputs (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// Next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Median of durations (sorts a copy).
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2
    } else {
        sorted[mid]
    }
}

/// Sends a request head over a raw socket, then (while reading the answer) as much of `body` as
/// the server takes, and returns the response status. reqwest cannot be used for bodies a server
/// refuses before reading them: the early close surfaces as a write error instead of the answer.
pub async fn raw_status(addr: SocketAddr, head: &str, body: Vec<u8>, chunked: bool) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(head.as_bytes()).await.expect("write head");
    let sender = tokio::spawn(async move {
        for chunk in body.chunks(16 * 1024) {
            let result = if chunked {
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(chunk);
                framed.extend_from_slice(b"\r\n");
                writer.write_all(&framed).await
            } else {
                writer.write_all(chunk).await
            };
            if result.is_err() {
                return;
            }
        }
        if chunked {
            let _ = writer.write_all(b"0\r\n\r\n").await;
        }
        let _ = writer.flush().await;
        // Keep the write half open until the answer has been read.
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let status = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let n = reader.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        let text = String::from_utf8_lossy(&answer);
        text.split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0)
    })
    .await
    .expect("the server answers");
    sender.abort();
    status
}
