//! The HTTP server: the router that assembles every feature's routes, the middleware, start-up
//! and graceful shutdown. Server-only; the one module that knows every feature, and none of
//! them imports it.

pub mod access_log;
pub mod csrf;
pub mod fn_errors;
pub mod headers;
pub mod pages;

use crate::app::{App, shell};
use crate::auth::{extract::caller_of, handlers as auth};
use crate::platform::{clock::Clock, config::Config, db::Db, state::AppState};
use active_sessions_api::paths;
use axum::http::{HeaderValue, header};
use axum::{
    Json, Router,
    extract::State,
    http::{StatusCode, request::Parts},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::{net::SocketAddr, sync::Arc};
use tower_http::{
    limit::RequestBodyLimitLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

/// Largest request body accepted anywhere (SEC-26).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Leptos settings from cargo-leptos' environment, with defaults for a binary run on its own.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let mut options = get_configuration(None)?.leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "active-sessions".into();
    }
    if std::env::var_os("LEPTOS_SITE_ROOT").is_none() {
        options.site_root = "target/site".into();
    }
    Ok(options)
}

/// The page routes, listed once per process.
///
/// Listing them renders the app with resource loading suppressed by a *process-wide* flag
/// (`leptos_server::SuppressResourceLoad`, leptos_router 0.8.17): a resource first polled by
/// another server in the same process while the flag is up waits forever, and its page never
/// finishes (leptos-rs/leptos#4773). A process that builds several routers (the integration tests
/// start one server per test, in parallel) once had a page request hang for 60 s that way. Listed
/// once, before any router exists, no request can be in flight while the flag is up.
static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
    std::sync::LazyLock::new(|| generate_route_list(App));

/// The whole application as a router, ready for `axum::serve` or `oneshot` in tests.
pub fn app(state: AppState) -> Router {
    let routes = ROUTES.clone();
    let options = state.leptos_options.clone();
    let hsts = state.config.secure_cookies();
    let pkg = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let mut router = Router::new()
        .route(paths::HEALTHZ, get(healthz))
        .route(paths::pages::ROOT, get(root))
        .route(paths::pages::LOGIN, post(auth::login))
        .route(paths::pages::LOGIN_CODE, post(auth::login_code))
        .route(
            paths::pages::LOGIN_PASSKEY,
            post(crate::factors::api::login_finish),
        )
        .route(paths::pages::LOGOUT, post(auth::logout))
        .merge(crate::sessions::api::routes())
        .merge(crate::cli_grants::api::routes())
        .merge(crate::factors::api::routes())
        .merge(crate::openapi::routes())
        .nest_service("/pkg", assets(pkg));
    if state.config.dev_login {
        router = router.route(paths::pages::LOGIN_DEV, post(auth::dev_login));
    }
    let router = router
        .leptos_routes_with_context(&state, routes, leptos::nonce::provide_nonce, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages::page_guard,
        ))
        .layer(middleware::from_fn(fn_errors::server_fn_error_status))
        .layer(middleware::from_fn(csrf::cross_origin_guard))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    headers::with_security_headers(router, hsts)
        .layer(TraceLayer::new_for_http().make_span_with(access_log::AccessSpan))
        .with_state(state)
}

/// The wasm, JS and CSS bundle under `/pkg`, with the precompressed brotli and gzip variants when
/// the build made them; browsers revalidate (`no-cache` + `Last-Modified`) since names carry no
/// hash.
fn assets(dir: std::path::PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable" })),
            )
                .into_response()
        }
    }
}

/// `GET /`: signed-in users go to their sessions, others to the login page.
async fn root(State(state): State<AppState>, parts: Parts) -> Redirect {
    match caller_of(&state, &parts).await {
        Ok(_) => Redirect::to(auth::AFTER_LOGIN),
        Err(_) => Redirect::to(paths::pages::LOGIN),
    }
}

/// Opens the database (creating and migrating it) and builds the shared state.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config).await?;
    crate::factors::service::check_key_at_start(&db, &config).await?;
    let state = AppState::new(leptos_options, db, config, clock);
    // Warm the dummy hash used for unknown accounts so the first such login costs no extra.
    state.hasher.verify(String::new(), None).await?;
    Ok(state)
}

/// Serves `state` on `listener` until `shutdown` resolves, then drains requests and closes the
/// pool.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = state.db.clone();
    let sender = crate::alerts::delivery::spawn(state.clone());
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    if let Some(sender) = sender {
        sender.abort();
    }
    housekeeping.abort();
    served?;
    db.close().await;
    Ok(())
}

/// At start and then hourly: deletes sessions that ended more than 30 days ago ("Recently
/// ended" shows 30 days), expired pending sign-ins and passkey ceremonies, and the rows of shared budgets that count
/// nothing any more.
async fn housekeeping(state: AppState) {
    loop {
        match crate::sessions::service::purge_ended(&state.db, state.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, "purged sessions ended over 30 days ago"),
            Err(e) => tracing::warn!(error = %e, "could not purge ended sessions"),
        }
        if let Err(e) = crate::factors::service::purge_pending(&state.db, state.now()).await {
            tracing::warn!(error = %e, "could not delete expired pending sign-ins");
        }
        if let Err(e) = crate::factors::service::purge_ceremonies(&state).await {
            tracing::warn!(error = %e, "could not delete expired passkey ceremonies");
        }
        if let Err(e) = crate::platform::budget_store::sweep(&state.db, state.now()).await {
            tracing::warn!(error = %e, "could not sweep shared budgets");
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
