//! Revoking one session: ownership, confirmation, races and malformed ids.

use crate::support::*;
use active_sessions_api::paths;
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

// SEC-18
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_another_users_session_looks_like_an_unknown_id() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let victim = app.signed_in("victim@example.com").await;
    let mallory = app.signed_in("mallory@example.com").await;

    let foreign = app.delete_session(&mallory.token, &victim.public_id).await;
    let foreign_status = foreign.status();
    let foreign_body = foreign.text().await.unwrap();
    let random = app
        .delete_session(&mallory.token, &random_public_id())
        .await;
    let random_status = random.status();
    let random_body = random.text().await.unwrap();
    assert_eq!(foreign_status, StatusCode::NOT_FOUND);
    assert_eq!(foreign_status, random_status);
    assert_eq!(
        foreign_body, random_body,
        "indistinguishable from a random id"
    );
    let body: Value = serde_json::from_str(&foreign_body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    // Also with confirm_current, and through the detail route.
    let response = app
        .request(
            Method::DELETE,
            &format!("{}?confirm_current=true", paths::session(&victim.public_id)),
        )
        .header(header::COOKIE, app.cookie(&mallory.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let detail = app
        .get_with_cookie(&paths::session(&victim.public_id), &mallory.token)
        .await;
    assert_eq!(detail.status(), StatusCode::NOT_FOUND);

    assert_eq!(
        app.status_of(&victim.token).await,
        StatusCode::OK,
        "the victim stays signed in"
    );
    assert_eq!(app.list_json(&victim.token).await.len(), 1);
    let revoked = app
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE public_id = $1 AND revoked_at IS NULL",
            &victim.public_id,
        )
        .await;
    assert_eq!(revoked, 1);
}

// SEC-19
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_the_current_session_needs_confirmation() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("self@example.com").await;

    let response = app.delete_session(&me.token, &me.public_id).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "confirmation_required");
    let response = app
        .delete_session(
            &me.token,
            &format!("{}?confirm_current=false", me.public_id),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let response = app
        .delete_session(
            &me.token,
            &format!("{}?confirm_current=maybe", me.public_id),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.status_of(&me.token).await,
        StatusCode::OK,
        "still signed in"
    );

    let response = app
        .delete_session(&me.token, &format!("{}?confirm_current=true", me.public_id))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookie_named(&response, app.cookie_name()).expect("the cookie is cleared");
    assert!(
        cleared.starts_with(&format!("{}=;", app.cookie_name())),
        "{cleared}"
    );
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(app.status_of(&me.token).await, StatusCode::UNAUTHORIZED);
}

// SEC-20
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_revokes_of_one_id_succeed_once() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let actor = app.signed_in("race@example.com").await;
    let target = app.login("race@example.com").await;

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let request = app.with_cookie(
                Method::DELETE,
                &paths::session(&target.public_id),
                &actor.token,
            );
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let response = request.send().await.unwrap();
                let status = response.status();
                (status, response.text().await.unwrap())
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let ok = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::NO_CONTENT)
        .count();
    let not_found: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::NOT_FOUND)
        .collect();
    assert!(
        results.iter().all(|(s, _)| !s.is_server_error()),
        "{results:?}"
    );
    assert_eq!(ok, 1, "{results:?}");
    assert_eq!(not_found.len(), 19, "{results:?}");
    assert!(
        not_found.windows(2).all(|w| w[0].1 == w[1].1),
        "the losers all get the same body"
    );

    let events = app
        .scalar_i64(
            "SELECT COUNT(*) FROM auth_events WHERE event = 'session_revoked' AND session_public_id = $1",
            &target.public_id,
        )
        .await;
    assert_eq!(events, 1, "exactly one audit row");
    assert_eq!(app.status_of(&target.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.status_of(&actor.token).await, StatusCode::OK);
}

// SEC-21
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_flight_request_cannot_resurrect_a_revoked_session() {
    use active_sessions::sessions::repository;
    let app = TestApp::spawn(TestOptions::default()).await;
    let actor = app.signed_in("zombie@example.com").await;
    let target = app.login("zombie@example.com").await;
    let id = active_sessions::platform::ids::SessionId(
        app.scalar_i64(
            "SELECT id FROM sessions WHERE public_id = $1",
            &target.public_id,
        )
        .await,
    );
    let seen_before = app
        .scalar_i64(
            "SELECT last_seen_at FROM sessions WHERE public_id = $1",
            &target.public_id,
        )
        .await;

    // The request with the target token has authenticated (read a live row) ...
    let now = app.clock_now();
    // ... then the session is revoked ...
    assert_eq!(
        app.delete_session(&actor.token, &target.public_id)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    // ... and the request's last-seen update lands afterwards.
    let touched = repository::touch(&app.state.db, id, now + 3600, Some("198.51.100.9"))
        .await
        .unwrap();
    assert!(!touched, "touch must not update a revoked row");
    repository::mark_authenticated(&app.state.db, id, now + 3600)
        .await
        .unwrap();
    let mut tx = app.state.db.begin_write().await.unwrap();
    let rotated = repository::rotate_token_in(&mut tx, id, now + 3600)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        rotated.is_none(),
        "a revoked session cannot get a new token"
    );

    let still_revoked = app
        .scalar_i64(
            "SELECT COUNT(*) FROM sessions WHERE public_id = $1 AND revoked_at IS NOT NULL",
            &target.public_id,
        )
        .await;
    assert_eq!(still_revoked, 1);
    let seen_after = app
        .scalar_i64(
            "SELECT last_seen_at FROM sessions WHERE public_id = $1",
            &target.public_id,
        )
        .await;
    assert_eq!(seen_after, seen_before, "last_seen_at unchanged");
    assert_eq!(app.status_of(&target.token).await, StatusCode::UNAUTHORIZED);
    app.clock.advance(3600);
    assert_eq!(app.status_of(&target.token).await, StatusCode::UNAUTHORIZED);
}

// SEC-22
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_ids_are_400_or_404_never_500() {
    let app = TestApp::spawn(TestOptions::default()).await;
    let me = app.signed_in("ids@example.com").await;

    let long = "a".repeat(10_000);
    let ids: Vec<String> = vec![
        "abc".into(),
        "-1".into(),
        "0".into(),
        "99999999999999999999999999".into(),
        long,
        "%00".into(),
        "%00%00%00%00%00%00%00%00%00%00%00".into(),
        "' OR 1=1--".into(),
        "%27%20OR%201%3D1--".into(),
        "1;DROP TABLE sessions".into(),
        "\u{202e}".into(),
        format!("{}\u{202e}", &me.public_id[..21]),
        "\u{202e}".repeat(22),
        "🦀".into(),
        "🦀".repeat(22),
        "%FF%FE".into(),
        "%C3%28".into(),
        "..%2F..%2Fetc%2Fpasswd".into(),
        "a%2Fb".into(),
        format!("{}%20", me.public_id),
        format!("%20{}", &me.public_id[1..]),
        me.public_id.to_uppercase(),
        format!("{}=", &me.public_id[..21]),
        "null".into(),
        "undefined".into(),
        "{id}".into(),
        "*".into(),
    ];
    for id in &ids {
        for method in [Method::DELETE, Method::GET] {
            let response = app
                .with_cookie(method.clone(), &paths::session(id), &me.token)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let shown: String = id.chars().take(40).collect();
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
                "{method} {shown:?}: {status}"
            );
            let body: Value = response
                .json()
                .await
                .unwrap_or_else(|e| panic!("{shown:?}: JSON body: {e}"));
            assert!(body["error"]["code"].is_string(), "{shown:?}: {body}");
        }
    }
    assert_eq!(app.status_of(&me.token).await, StatusCode::OK);
    assert_eq!(
        app.list_json(&me.token).await.len(),
        1,
        "nothing was revoked"
    );
}
