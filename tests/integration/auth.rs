//! Login and logout: fresh tokens, cookie attributes and generic errors.

use crate::support::*;
use active_sessions_api::paths::{self, pages};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

// SEC-04
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_never_adopts_a_client_chosen_token() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("fixation@example.com").await;

    let response = app
        .request(Method::POST, pages::LOGIN)
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, app.cookie("attacker"))
        .form(&[("email", "fixation@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token = session_cookie(&response, app.cookie_name()).expect("a fresh cookie is set");
    assert_ne!(token, "attacker");
    assert_eq!(token.len(), 43, "an issued token, not the planted value");

    assert_eq!(app.status_of(&token).await, StatusCode::OK);
    assert_eq!(
        app.status_of("attacker").await,
        StatusCode::UNAUTHORIZED,
        "replay of the planted value"
    );
    let dump = app.dump_database_text().await;
    assert!(
        dump.iter().all(|v| !v.contains("attacker")),
        "the planted value must not be stored anywhere"
    );

    // A planted *valid* token (an attacker's own session) is not kept either: logging in over it
    // issues a new token and ends the planted session.
    let planted = app.signed_in("attacker@example.com").await.token;
    let response = app
        .request(Method::POST, pages::LOGIN)
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, app.cookie(&planted))
        .form(&[("email", "fixation@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let victim = session_cookie(&response, app.cookie_name()).unwrap();
    assert_ne!(victim, planted);
    assert_eq!(app.status_of(&planted).await, StatusCode::UNAUTHORIZED);
    let sessions = app.list_json(&victim).await;
    assert_eq!(
        sessions.iter().filter(|s| s["is_current"] == true).count(),
        1
    );
}

fn assert_session_cookie_attributes(set_cookie: &str, name: &str, secure: bool, clearing: bool) {
    let (pair, _) = set_cookie
        .split_once(';')
        .expect("attributes follow the value");
    let (cookie_name, value) = pair.split_once('=').unwrap();
    assert_eq!(cookie_name, name, "{set_cookie}");
    if clearing {
        assert_eq!(value, "", "{set_cookie}");
    } else {
        assert_eq!(value.len(), 43, "{set_cookie}");
    }
    let attrs = cookie_attributes(set_cookie);
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("path"), Some(Some("/".to_owned())), "{set_cookie}");
    assert_eq!(get("httponly"), Some(None), "{set_cookie}");
    let same_site = get("samesite")
        .flatten()
        .expect("SameSite is set")
        .to_ascii_lowercase();
    assert!(same_site == "lax" || same_site == "strict", "{set_cookie}");
    assert!(get("domain").is_none(), "no Domain attribute: {set_cookie}");
    assert_eq!(get("secure").is_some(), secure, "{set_cookie}");
    let max_age: i64 = get("max-age").flatten().expect("Max-Age").parse().unwrap();
    if clearing {
        assert_eq!(max_age, 0, "{set_cookie}");
    } else {
        assert!(max_age > 0, "{set_cookie}");
    }
}

// SEC-07
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_attributes_over_https_are_host_prefixed_and_secure() {
    let app = TestApp::spawn(
        TestOptions::default().settings(&[("PUBLIC_URL", "https://sessions.example")]),
    )
    .await;
    assert_eq!(app.cookie_name(), "__Host-session");
    app.create_user("secure@example.com").await;

    let response = app.login_as(LoginRequest::new("secure@example.com")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let set = set_cookie_named(&response, "__Host-session").expect("__Host-session is set");
    assert_session_cookie_attributes(&set, "__Host-session", true, false);
    assert!(
        set_cookie_named(&response, "session").is_none(),
        "no dev cookie over https"
    );
    let token = session_cookie(&response, "__Host-session").unwrap();
    assert_eq!(app.status_of(&token).await, StatusCode::OK);

    // The dev cookie name is not accepted by an https deployment.
    let response = app
        .request(Method::GET, paths::SESSIONS)
        .header(header::COOKIE, format!("session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let response = app.logout(&token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let set = set_cookie_named(&response, "__Host-session").expect("logout clears the cookie");
    assert_session_cookie_attributes(&set, "__Host-session", true, true);
}

// SEC-07
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_attributes_on_plain_http_dev_server() {
    let app = TestApp::spawn(TestOptions::default()).await;
    assert_eq!(app.cookie_name(), "session");
    app.create_user("plain@example.com").await;

    // Form login (no JSON): redirect plus cookie.
    let response = app
        .request(Method::POST, pages::LOGIN)
        .form(&[("email", "plain@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_redirect(&response, pages::SESSIONS);
    let set = set_cookie_named(&response, "session").expect("session cookie");
    assert_session_cookie_attributes(&set, "session", false, false);
    let token = session_cookie(&response, "session").unwrap();

    let response = app.logout_form(&token).await;
    assert_redirect(&response, pages::LOGIN);
    let set = set_cookie_named(&response, "session").expect("logout clears the cookie");
    assert_session_cookie_attributes(&set, "session", false, true);
}

// SEC-11
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_the_session_and_replay_is_401() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let login = app.signed_in("logout@example.com").await;
    let other = app.login("logout@example.com").await.token;
    assert_eq!(app.status_of(&login.token).await, StatusCode::OK);

    let response = app.logout(&login.token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        session_cookie(&response, app.cookie_name()),
        None,
        "cookie cleared"
    );

    assert_eq!(app.status_of(&login.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.bearer_status(&login.token).await,
        StatusCode::UNAUTHORIZED
    );
    let page = app.get_with_cookie(pages::SESSIONS, &login.token).await;
    assert!(
        page.status().is_redirection(),
        "the page sends the old cookie to /login"
    );
    let revoked = app
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE public_id = $1 AND revoked_at IS NOT NULL \
             AND revoked_reason = 'logout'",
            &login.public_id,
        )
        .await;
    assert_eq!(
        revoked, 1,
        "the row is revoked, not just forgotten by the browser"
    );
    // Other sessions of the account are untouched.
    assert_eq!(app.status_of(&other).await, StatusCode::OK);
    // Logging out again (or without a session) is harmless.
    let response = app.logout(&login.token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

// SEC-25
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_get_a_generic_401() {
    let app = TestApp::spawn(TestOptions::default()).await;
    app.create_user("creds@example.com").await;

    let wrong = app
        .login_as(LoginRequest::new("creds@example.com").password("wrong password"))
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookies(&wrong).is_empty(), "no cookie on failure");
    let wrong: Value = wrong.json().await.unwrap();
    assert_eq!(wrong["error"]["code"], "invalid_credentials");
    assert_eq!(wrong["error"]["message"], "Email or password is incorrect.");

    let unknown: Value = app
        .login_body(LoginRequest::new("nobody@example.com").password("wrong password"))
        .await;
    assert_eq!(wrong, unknown);

    // Missing fields and a malformed email: 400 with the one error shape.
    let response = app
        .request(Method::POST, pages::LOGIN)
        .header(header::ACCEPT, "application/json")
        .form(&[("email", "creds@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_input");
    let response = app
        .login_as(LoginRequest::new("not an email").password("x"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // The HTML form gets a redirect back to the login page with a code, nothing more.
    let response = app
        .request(Method::POST, pages::LOGIN)
        .form(&[
            ("email", "creds@example.com"),
            ("password", "wrong password"),
        ])
        .send()
        .await
        .unwrap();
    assert_redirect(&response, "/login?error=invalid_credentials");

    // Unauthenticated API calls: 401 with the documented shape.
    let response = app.get(paths::SESSIONS).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert!(body["error"]["message"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_login_exists_only_when_enabled() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let response = app
        .request(Method::POST, pages::LOGIN_DEV)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "never on by default"
    );
    assert!(session_cookie(&response, "session").is_none());

    let app = TestApp::spawn(TestOptions::default().settings(&[("DEV_LOGIN", "true")])).await;
    let response = app
        .request(Method::POST, pages::LOGIN_DEV)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(header_str(&response, "location"), Some(pages::SESSIONS));
    let token = session_cookie(&response, "session").expect("a session cookie");
    let list = app.list_json(&token).await;
    assert_eq!(list.len(), 1);
    let id = list[0]["id"].as_str().unwrap();
    let detail: Value = app.get_json(&paths::session(id), &token).await;
    assert_eq!(detail["sign_in_method"], "dev");
}
