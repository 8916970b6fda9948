//! Cross-site request protection of every state-changing route.

use crate::support::*;
use active_sessions_api::paths::{self, pages, server_fns};
use reqwest::{Method, StatusCode, header};

async fn send(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.unwrap().status()
}

// SEC-24
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_state_changes_are_refused() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("csrf@example.com").await;
    let other = app.login("csrf@example.com").await;
    let grant = app.start_grant().await;
    let user_code = grant["user_code"].as_str().unwrap().to_owned();

    let cross_site: Vec<(&str, &str)> = vec![
        ("origin", "http://evil.example"),
        ("origin", "null"),
        ("origin", "https://127.0.0.1.evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ];
    for (name, value) in &cross_site {
        let with = |request: reqwest::RequestBuilder| request.header(*name, *value);
        let cookie = app.cookie(&me.token);

        let response = with(app.request(Method::POST, pages::LOGOUT))
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "logout with {name}: {value}"
        );
        assert_eq!(error_code(response).await, "forbidden");
        assert_eq!(
            send(
                with(app.request(Method::DELETE, &paths::session(&other.public_id)))
                    .header(header::COOKIE, &cookie)
            )
            .await,
            StatusCode::FORBIDDEN,
            "DELETE with {name}: {value}"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, paths::REVOKE_OTHERS))
                    .header(header::COOKIE, &cookie)
            )
            .await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, pages::LOGIN))
                    .form(&[("email", "csrf@example.com"), ("password", PASSWORD)])
            )
            .await,
            StatusCode::FORBIDDEN,
            "login CSRF"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, server_fns::REVOKE))
                    .header(header::COOKIE, &cookie)
                    .form(&[("id", other.public_id.as_str())])
            )
            .await,
            StatusCode::FORBIDDEN,
            "revoke server function"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, server_fns::CLI_DECIDE))
                    .header(header::COOKIE, &cookie)
                    .form(&[("code", user_code.as_str()), ("approve", "true")])
            )
            .await,
            StatusCode::FORBIDDEN,
            "grant approval"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, server_fns::CHANGE_PASSWORD))
                    .header(header::COOKIE, &cookie)
                    .form(&[
                        ("current_password", PASSWORD),
                        ("new_password", "another password"),
                        ("confirm_password", "another password")
                    ])
            )
            .await,
            StatusCode::FORBIDDEN,
            "password change"
        );
    }
    // Nothing changed.
    assert_eq!(app.status_of(&me.token).await, StatusCode::OK);
    assert_eq!(app.status_of(&other.token).await, StatusCode::OK);
    assert_eq!(app.list_json(&me.token).await.len(), 2);
    assert_eq!(
        error_code(app.redeem(grant["device_code"].as_str().unwrap()).await).await,
        "authorization_pending"
    );
    assert_eq!(
        app.login_as(LoginRequest::new("csrf@example.com"))
            .await
            .status(),
        StatusCode::OK,
        "password unchanged"
    );

    // Mutating server functions do not answer GET.
    let status = send(
        app.request(
            Method::GET,
            &format!("{}?id={}", server_fns::REVOKE, other.public_id),
        )
        .header(header::COOKIE, app.cookie(&me.token)),
    )
    .await;
    assert!(
        !status.is_success(),
        "GET of a mutating server function: {status}"
    );
    assert_eq!(app.status_of(&other.token).await, StatusCode::OK);

    // Same-origin requests from the app's own pages work.
    let origin = app.base.clone();
    let response = app
        .with_cookie(Method::DELETE, &paths::session(&other.public_id), &me.token)
        .header(header::ORIGIN, &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .with_cookie(Method::POST, pages::LOGOUT, &me.token)
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.status_of(&me.token).await, StatusCode::UNAUTHORIZED);
    // A same-origin form login from the login page.
    let response = app
        .request(Method::POST, pages::LOGIN)
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, &origin)
        .form(&[("email", "csrf@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    assert!(session_cookie(&response, app.cookie_name()).is_some());
    // Typed into the address bar / bookmarks: Sec-Fetch-Site none.
    let token = session_cookie(&response, app.cookie_name()).unwrap();
    let response = app
        .with_cookie(Method::POST, pages::LOGOUT, &token)
        .header("sec-fetch-site", "none")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
}
