//! Hostile user agents: capped, stored as lossy UTF-8 and escaped wherever they are shown.

use crate::support::*;
use active_sessions_api::paths::{self, pages};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

// SEC-23
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_user_agents_are_capped_stored_safely_and_escaped() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("agents@example.com").await;

    let ten_kb = format!("Mozilla/5.0 {}", "é".repeat(5 * 1024));
    let agents: Vec<(&str, Vec<u8>)> = vec![
        ("script", b"<script>alert(1)</script>".to_vec()),
        ("attribute", b"\"><img src=x onerror=alert(1)>".to_vec()),
        ("rtl", "Mozilla/5.0 \u{202e}exe.txt".as_bytes().to_vec()),
        ("10 KB", ten_kb.into_bytes()),
        (
            "invalid UTF-8",
            b"Mozilla/5.0 \xff\xfe\xc3\x28 (X11)".to_vec(),
        ),
        (
            "closing script",
            b"</script><script>alert(1)</script>".to_vec(),
        ),
    ];
    let mut token = String::new();
    for (name, agent) in &agents {
        let response = app
            .request(Method::POST, pages::LOGIN)
            .header(header::ACCEPT, "application/json")
            .header(
                header::USER_AGENT,
                header::HeaderValue::from_bytes(agent).unwrap(),
            )
            .form(&[("email", "agents@example.com"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "login with {name} user agent"
        );
        token = session_cookie(&response, app.cookie_name()).unwrap();
    }

    // The JSON stays valid and every stored agent is at most 1 KiB.
    let list = app.list_json(&token).await;
    assert_eq!(list.len(), agents.len());
    for entry in &list {
        let ua = entry["user_agent"]
            .as_str()
            .expect("a user agent was stored");
        assert!(ua.len() <= 1024, "{} bytes", ua.len());
        let id = entry["id"].as_str().unwrap();
        let detail = app.get_with_cookie(&paths::session(id), &token).await;
        assert_eq!(detail.status(), StatusCode::OK);
        let _: Value = detail.json().await.expect("detail JSON is valid");
    }
    assert!(
        list.iter()
            .any(|e| e["user_agent"] == "<script>alert(1)</script>"),
        "stored as sent, escaped by JSON"
    );
    assert!(
        list.iter()
            .any(|e| e["user_agent"].as_str().unwrap().contains('\u{fffd}')),
        "lossy UTF-8"
    );
    let stored: Vec<(Option<String>,)> = sqlx::query_as("SELECT user_agent FROM sessions")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), agents.len());
    for (ua,) in &stored {
        assert!(ua.as_ref().unwrap().len() <= 1024);
    }

    // The page shows them escaped: no markup from a user agent reaches the HTML.
    let page = app.get_with_cookie(pages::SESSIONS, &token).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "raw script from a user agent in the page"
    );
    assert!(
        !html.contains("<img src=x"),
        "raw markup from a user agent in the page"
    );
    assert!(
        !html.contains("</script><script>alert"),
        "a user agent breaks out of a script"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)") || html.contains("\\u003cscript"),
        "the agent is shown escaped"
    );
}
