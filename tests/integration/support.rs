//! Shared harness: a real server per test on 127.0.0.1:0 with a fresh database, a manual clock
//! and plain HTTP through reqwest (no cookie store: cookies are parsed and sent by hand).
//!
//! The database engine comes from the environment: `TEST_DATABASE=postgres` with
//! `TEST_POSTGRES_URL` (an admin URL; a fresh `test_<random>` database is created per test),
//! otherwise a fresh SQLite file in a temporary directory.

#![allow(dead_code)]

mod database;
mod http;
mod logging;
mod requests;
mod smtp;

pub use database::*;
pub use http::*;
pub use logging::*;
pub use smtp::*;

use active_sessions::platform::ids::{UnixTime, UserId};
use active_sessions::platform::password::hash_blocking;
use active_sessions::platform::{clock::ManualClock, config::Config, state::AppState};
use active_sessions::server;
use active_sessions::users::service as users;
use leptos::prelude::LeptosOptions;
use reqwest::{Client, Method, RequestBuilder};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Password of every account the tests create.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running server.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// The server's shared state (database handle, config).
    pub state: AppState,
    /// The clock the server reads; advance it to cross timeouts.
    pub clock: ManualClock,
    /// The database it runs on.
    pub db: TestDatabase,
    /// The settings it was started with (to restart it identically).
    pub settings: HashMap<String, String>,
    /// A client that never follows redirects and keeps no cookies.
    pub client: Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// A plain HTTP client: no redirects followed, no cookie store.
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client")
}

impl TestApp {
    /// Default settings, a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Default settings, a fresh database and one account `email`, signed in: the app and the
    /// session token.
    pub async fn signed_in(email: &str) -> (Self, String) {
        let (app, login) = Self::signed_in_full(email).await;
        (app, login.token)
    }

    /// [`signed_in`](Self::signed_in) with the session's public id as well.
    pub async fn signed_in_full(email: &str) -> (Self, Login) {
        let app = Self::spawn().await;
        app.create_user(email).await;
        let login = app.login_full(email).await;
        (app, login)
    }

    /// Default settings changed by `settings` (environment variable names and values).
    pub async fn spawn_with_settings(settings: &[(&str, &str)]) -> Self {
        Self::spawn_with(|m| {
            for (name, value) in settings {
                m.insert((*name).to_owned(), (*value).to_owned());
            }
        })
        .await
    }

    /// `configure` may add or change settings (environment variable names) before start.
    pub async fn spawn_with(configure: impl FnOnce(&mut HashMap<String, String>)) -> Self {
        let db = TestDatabase::fresh().await;
        Self::spawn_on(db, ManualClock::new(), configure).await
    }

    /// A second instance on the same database as `other` (its own clock and limiter).
    pub async fn spawn_sharing(other: &TestApp) -> Self {
        let settings = other.settings.clone();
        Self::spawn_on(other.db.clone(), ManualClock::new(), move |m| *m = settings).await
    }

    /// Starts a server on `db` with `clock`.
    pub async fn spawn_on(
        db: TestDatabase,
        clock: ManualClock,
        configure: impl FnOnce(&mut HashMap<String, String>),
    ) -> Self {
        init_logging();
        let mut settings = HashMap::new();
        settings.insert("DATABASE_URL".to_owned(), db.url.clone());
        configure(&mut settings);
        settings.insert("DATABASE_URL".to_owned(), db.url.clone());
        let config = Config::from_lookup(|k| settings.get(k).cloned()).expect("valid test config");
        let options = LeptosOptions::builder()
            .output_name("active-sessions")
            .site_root("target/site")
            .build();
        let state = server::build_state(config, options, Arc::new(clock.clone()))
            .await
            .expect("build state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        Self {
            addr,
            base: format!("http://{addr}"),
            state,
            clock,
            db,
            settings,
            client: client(),
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// Stops the server gracefully (its pool is closed).
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("server stops within 30 s")
                .expect("server task")
                .expect("server result");
        }
    }

    /// Stops this server and starts a new one on the same database, settings and clock.
    pub async fn restart(mut self) -> Self {
        self.stop().await;
        let settings = self.settings.clone();
        Self::spawn_on(self.db.clone(), self.clock.clone(), move |m| *m = settings).await
    }

    /// Absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request builder for `path`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// The name of the session cookie of this deployment.
    pub fn cookie_name(&self) -> &'static str {
        active_sessions::auth::cookie::SessionCookie::of(&self.state.config).name()
    }

    /// `Cookie` header value carrying `token`.
    pub fn cookie(&self, token: &str) -> String {
        format!("{}={token}", self.cookie_name())
    }

    /// Creates an account directly in the database; returns its id.
    pub async fn create_user(&self, email: &str) -> UserId {
        self.create_user_with_password(email, PASSWORD).await
    }

    /// Creates an account with `password`.
    pub async fn create_user_with_password(&self, email: &str, password: &str) -> UserId {
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .unwrap()
            .unwrap();
        users::create(&self.state.db, email, &hash, self.clock_now())
            .await
            .expect("create user")
    }

    /// The server's current time.
    pub fn clock_now(&self) -> UnixTime {
        use active_sessions::platform::clock::Clock;
        self.clock.now()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
