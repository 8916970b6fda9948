//! Shared harness: a real server per test on 127.0.0.1:0 with a fresh database, a manual clock
//! and plain HTTP through reqwest (no cookie store: cookies are parsed and sent by hand).
//!
//! The database engine comes from the environment: `TEST_DATABASE=postgres` with
//! `TEST_POSTGRES_URL` (an admin URL; a fresh `test_<random>` database is created per test),
//! otherwise a fresh SQLite file in a temporary directory.

#![allow(dead_code)]

mod authenticator;
mod database;
mod http;
mod logging;
mod requests;
mod second_step;
mod smtp;

pub use authenticator::SoftPasskey;
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

/// How [`TestApp::spawn`] starts a server: `TestOptions::default()` is the default settings, a
/// fresh database and a new manual clock; each method changes one of those.
#[derive(Clone, Default)]
pub struct TestOptions {
    settings: HashMap<String, String>,
    database: Option<TestDatabase>,
    clock: Option<ManualClock>,
}

impl TestOptions {
    /// Sets one setting (an environment variable name and its value).
    pub fn setting(mut self, name: &str, value: &str) -> Self {
        self.settings.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Sets several settings at once.
    pub fn settings(self, settings: &[(&str, &str)]) -> Self {
        settings
            .iter()
            .fold(self, |options, (name, value)| options.setting(name, value))
    }

    /// Sends mail to `smtp` (its `SMTP_URL`, `MAIL_FROM` and `PUBLIC_URL`).
    pub fn mail(self, smtp: &SmtpServer) -> Self {
        smtp.settings()
            .iter()
            .fold(self, |options, (name, value)| options.setting(name, value))
    }

    /// Sessions end after `idle` seconds unused and `absolute` seconds after sign-in.
    pub fn session_timeouts(self, idle: u64, absolute: u64) -> Self {
        self.setting("SESSION_IDLE_TIMEOUT_SECS", &idle.to_string())
            .setting("SESSION_ABSOLUTE_TIMEOUT_SECS", &absolute.to_string())
    }

    /// Runs on `other`'s database with `other`'s settings (its own clock and limiter).
    pub fn sharing(mut self, other: &TestApp) -> Self {
        self.settings.extend(other.settings.clone());
        self.database(other.db.clone())
    }

    /// Runs on `database` instead of a fresh one.
    pub fn database(mut self, database: TestDatabase) -> Self {
        self.database = Some(database);
        self
    }

    /// Reads `clock` instead of a new one.
    pub fn clock(mut self, clock: ManualClock) -> Self {
        self.clock = Some(clock);
        self
    }
}

impl TestApp {
    /// Starts a server as `options` say; the one way into a test server.
    pub async fn spawn(options: TestOptions) -> Self {
        init_logging();
        let db = match options.database {
            Some(db) => db,
            None => TestDatabase::fresh().await,
        };
        let clock = options.clock.unwrap_or_default();
        let mut settings = options.settings;
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

    /// Creates an account at a fresh address `{prefix}-{random}@example.com` (mail servers are
    /// shared between tests, so each test's recipient is its own); returns the address.
    pub async fn new_account(&self, prefix: &str) -> String {
        let email = format!("{prefix}-{}@example.com", random_hex(6));
        self.create_user(&email).await;
        email
    }

    /// Creates the account `email` (test password) and logs it in.
    pub async fn signed_in(&self, email: &str) -> Login {
        self.create_user(email).await;
        self.login(email).await
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
        let options = TestOptions::default()
            .sharing(&self)
            .clock(self.clock.clone());
        Self::spawn(options).await
    }

    /// Absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request builder for `path`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request builder for `path` carrying the session cookie `token`.
    pub fn with_cookie(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.request(method, path)
            .header(reqwest::header::COOKIE, self.cookie(token))
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
