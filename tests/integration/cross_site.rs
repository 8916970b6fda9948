//! Cross-site request protection of every state-changing route.

use crate::support::*;
use reqwest::{Method, StatusCode, header};

async fn send(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.unwrap().status()
}

// SEC-24
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_state_changes_are_refused() {
    let (app, me) = TestApp::signed_in_full("csrf@example.com").await;
    let other = app.login_full("csrf@example.com").await;
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

        let response = with(app.request(Method::POST, "/logout"))
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
                with(app.request(
                    Method::DELETE,
                    &format!("/api/v1/auth/sessions/{}", other.public_id)
                ))
                .header(header::COOKIE, &cookie)
            )
            .await,
            StatusCode::FORBIDDEN,
            "DELETE with {name}: {value}"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, "/api/v1/auth/sessions/revoke-others"))
                    .header(header::COOKIE, &cookie)
            )
            .await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, "/login"))
                    .form(&[("email", "csrf@example.com"), ("password", PASSWORD)])
            )
            .await,
            StatusCode::FORBIDDEN,
            "login CSRF"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, "/api/sessions/revoke"))
                    .header(header::COOKIE, &cookie)
                    .form(&[("id", other.public_id.as_str())])
            )
            .await,
            StatusCode::FORBIDDEN,
            "revoke server function"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, "/api/cli/decide"))
                    .header(header::COOKIE, &cookie)
                    .form(&[("code", user_code.as_str()), ("approve", "true")])
            )
            .await,
            StatusCode::FORBIDDEN,
            "grant approval"
        );
        assert_eq!(
            send(
                with(app.request(Method::POST, "/api/auth/change_password"))
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
        app.login_response("csrf@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::OK,
        "password unchanged"
    );

    // Mutating server functions do not answer GET.
    let status = send(
        app.request(
            Method::GET,
            &format!("/api/sessions/revoke?id={}", other.public_id),
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
        .request(
            Method::DELETE,
            &format!("/api/v1/auth/sessions/{}", other.public_id),
        )
        .header(header::COOKIE, app.cookie(&me.token))
        .header(header::ORIGIN, &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .request(Method::POST, "/logout")
        .header(header::COOKIE, app.cookie(&me.token))
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
        .request(Method::POST, "/login")
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
        .request(Method::POST, "/logout")
        .header(header::COOKIE, app.cookie(&token))
        .header("sec-fetch-site", "none")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
}
