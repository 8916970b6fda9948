//! The commands, as calls to the JSON API.

use crate::credentials::{self, Credentials};
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;

const DEFAULT_SERVER: &str = "http://127.0.0.1:3000";

fn user_agent() -> String {
    format!(
        "active-sessions-cli/{} ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .user_agent(user_agent())
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())
}

fn server_url(flag: Option<String>, saved: Option<&Credentials>) -> String {
    flag.or_else(|| std::env::var("ACTIVE_SESSIONS_URL").ok())
        .or_else(|| saved.map(|c| c.server.clone()))
        .unwrap_or_else(|| DEFAULT_SERVER.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

fn signed_in(flag: Option<String>) -> Result<(String, Credentials), String> {
    let saved =
        credentials::load()?.ok_or("not logged in; run `active-sessions-cli login` first")?;
    Ok((server_url(flag, Some(&saved)), saved))
}

async fn error_of(response: reqwest::Response) -> String {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let message = body["error"]["message"]
        .as_str()
        .unwrap_or("unexpected answer");
    let code = body["error"]["code"].as_str().unwrap_or("");
    match code {
        "unauthenticated" => format!("{message} (your CLI session ended; run `login` again)"),
        _ => format!(
            "{message} (HTTP {status}{})",
            if code.is_empty() {
                String::new()
            } else {
                format!(", {code}")
            }
        ),
    }
}

#[derive(Deserialize)]
struct Started {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: String,
    expires_in: u64,
    interval: u64,
}

#[derive(Deserialize)]
struct Issued {
    token: String,
    session_id: String,
    expires_at: String,
}

/// `login`: start a grant, show where to approve it, wait for the approval.
pub async fn login(flag: Option<String>) -> Result<(), String> {
    let saved = credentials::load().ok().flatten();
    let server = server_url(flag, saved.as_ref());
    let http = client()?;
    let response = http
        .post(format!("{server}/api/v1/auth/cli/start"))
        .send()
        .await
        .map_err(|e| format!("cannot reach {server}: {e}"))?;
    if !response.status().is_success() {
        return Err(error_of(response).await);
    }
    let started: Started = response.json().await.map_err(|e| e.to_string())?;
    println!(
        "To sign in, open {} in a browser where you are signed in",
        started.verification_uri
    );
    println!("and confirm the code {}", started.user_code);
    println!("(or open {})", started.verification_uri_complete);
    println!("Waiting for approval…");
    let deadline = std::time::Instant::now() + Duration::from_secs(started.expires_in);
    let mut interval = Duration::from_secs(started.interval.max(1));
    while std::time::Instant::now() < deadline {
        tokio::time::sleep(interval).await;
        let response = http
            .post(format!("{server}/api/v1/auth/cli/redeem"))
            .json(&serde_json::json!({ "device_code": started.device_code }))
            .send()
            .await
            .map_err(|e| format!("cannot reach {server}: {e}"))?;
        if response.status().is_success() {
            let issued: Issued = response.json().await.map_err(|e| e.to_string())?;
            let path = credentials::save(&Credentials {
                server: server.clone(),
                token: issued.token,
                session_id: issued.session_id.clone(),
            })?;
            println!(
                "Logged in. Session {} (expires {}).",
                issued.session_id, issued.expires_at
            );
            println!("Token saved to {}", path.display());
            return Ok(());
        }
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        match body["error"]["code"].as_str() {
            Some("authorization_pending") => {}
            Some("rate_limited") => interval += Duration::from_secs(1),
            Some("access_denied") => return Err("the sign-in was denied in the browser".into()),
            Some("expired_token") => return Err("the code expired; run `login` again".into()),
            _ => {
                return Err(format!(
                    "{} (HTTP {status})",
                    body["error"]["message"].as_str().unwrap_or("login failed")
                ));
            }
        }
    }
    Err("the code expired; run `login` again".into())
}

#[derive(Deserialize)]
struct Summary {
    id: String,
    created_at: String,
    expires_at: String,
    is_current: bool,
    kind: String,
    user_agent: Option<String>,
}

/// `sessions list`: a table of the account's live sessions.
pub async fn list(flag: Option<String>) -> Result<(), String> {
    let (server, saved) = signed_in(flag)?;
    let response = client()?
        .get(format!("{server}/api/v1/auth/sessions"))
        .bearer_auth(&saved.token)
        .send()
        .await
        .map_err(|e| format!("cannot reach {server}: {e}"))?;
    if !response.status().is_success() {
        return Err(error_of(response).await);
    }
    let sessions: Vec<Summary> = response.json().await.map_err(|e| e.to_string())?;
    println!(
        "{:<22}  {:<4}  {:<7}  {:<20}  {:<20}  USER AGENT",
        "ID", "KIND", "CURRENT", "CREATED", "EXPIRES"
    );
    for s in sessions {
        let ua: String = s
            .user_agent
            .unwrap_or_else(|| "-".into())
            .chars()
            .take(60)
            .collect();
        println!(
            "{:<22}  {:<4}  {:<7}  {:<20}  {:<20}  {}",
            s.id,
            s.kind,
            if s.is_current { "yes" } else { "" },
            s.created_at,
            s.expires_at,
            ua
        );
    }
    Ok(())
}

async fn delete(
    server: &str,
    token: &str,
    id: &str,
    confirm_current: bool,
) -> Result<reqwest::Response, String> {
    let mut url = format!("{server}/api/v1/auth/sessions/{}", urlencode(id));
    if confirm_current {
        url.push_str("?confirm_current=true");
    }
    client()?
        .delete(url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("cannot reach {server}: {e}"))
}

fn urlencode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `sessions revoke ID`.
pub async fn revoke(flag: Option<String>, id: &str, confirm_current: bool) -> Result<(), String> {
    let (server, saved) = signed_in(flag)?;
    let response = delete(&server, &saved.token, id, confirm_current).await?;
    match response.status().as_u16() {
        204 => {
            println!("Revoked session {id}.");
            if id == saved.session_id {
                credentials::remove()?;
            }
            Ok(())
        }
        409 => Err("that is this CLI's own session; use `logout` or add --confirm-current".into()),
        _ => Err(error_of(response).await),
    }
}

/// `logout`: revoke the CLI's own session and forget the token.
pub async fn logout(flag: Option<String>) -> Result<(), String> {
    let Some(saved) = credentials::load()? else {
        println!("Not logged in.");
        return Ok(());
    };
    let server = server_url(flag, Some(&saved));
    let response = delete(&server, &saved.token, &saved.session_id, true).await?;
    let status = response.status().as_u16();
    credentials::remove()?;
    match status {
        204 => println!("Logged out."),
        401 | 404 => println!("Logged out (the session had already ended)."),
        _ => return Err(error_of(response).await),
    }
    Ok(())
}
