//! Response headers of the API, the pages and logout.

use crate::support::*;
use active_sessions_api::paths::{self, pages};
use reqwest::StatusCode;

fn assert_common_security_headers(response: &reqwest::Response, what: &str) {
    assert_eq!(
        header_str(response, "cache-control"),
        Some("no-store"),
        "{what}: Cache-Control"
    );
    assert_eq!(
        header_str(response, "x-content-type-options"),
        Some("nosniff"),
        "{what}: nosniff"
    );
    let csp =
        header_str(response, "content-security-policy").unwrap_or_else(|| panic!("{what}: CSP"));
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    let referrer = header_str(response, "referrer-policy")
        .unwrap_or_else(|| panic!("{what}: Referrer-Policy"));
    assert!(
        [
            "no-referrer",
            "same-origin",
            "strict-origin",
            "strict-origin-when-cross-origin"
        ]
        .contains(&referrer),
        "{what}: {referrer}"
    );
}

// SEC-09
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_api_pages_and_logout() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let token = app.signed_in("headers@example.com").await.token;

    let api = app.list(&token).await;
    assert_eq!(api.status(), StatusCode::OK);
    assert_common_security_headers(&api, "API");
    assert!(
        header_str(&api, "strict-transport-security").is_none(),
        "no HSTS on plain http"
    );

    let unauthenticated = app.get(paths::SESSIONS).await;
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    assert_common_security_headers(&unauthenticated, "401");

    let page = app.get_with_cookie(pages::SESSIONS, &token).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        header_str(&page, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_common_security_headers(&page, "page");
    let csp = header_str(&page, "content-security-policy")
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("object-src 'none'") || csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    let html = page.text().await.unwrap();
    if let Some(start) = csp.find("'nonce-") {
        let nonce = &csp[start + 7..];
        let nonce = &nonce[..nonce.find('\'').unwrap()];
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry the CSP nonce"
        );
    }

    let password_page = app.get_with_cookie(pages::PASSWORD, &token).await;
    assert_common_security_headers(&password_page, "password page");

    let logout = app.logout(&token).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let clear = header_str(&logout, "clear-site-data").expect("Clear-Site-Data on logout");
    assert!(clear.contains("\"cache\""), "{clear}");
    assert!(clear.contains("\"storage\""), "{clear}");
    // Not "cookies", which would make the browser forget its device cookie (SEC-46).
    assert!(!clear.contains("cookies"), "{clear}");
    assert_common_security_headers(&logout, "logout");
}

// SEC-09
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_only_when_served_over_https() {
    let app = TestApp::spawn(
        TestOptions::default().settings(&[("PUBLIC_URL", "https://sessions.example")]),
    )
    .await;
    let token = app.signed_in("hsts@example.com").await.token;
    for response in [
        app.list(&token).await,
        app.get_with_cookie(pages::SESSIONS, &token).await,
        app.get(paths::HEALTHZ).await,
    ] {
        let hsts = header_str(&response, "strict-transport-security").expect("HSTS over https");
        let max_age: u64 = hsts
            .split(';')
            .find_map(|p| p.trim().strip_prefix("max-age="))
            .expect("max-age")
            .parse()
            .unwrap();
        assert!(max_age >= 31_536_000, "{hsts}");
        assert_common_security_headers(&response, "https");
    }
}
