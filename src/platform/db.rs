//! The connection pool. One binary speaks SQLite (the embedded default) or PostgreSQL (for many
//! app instances) through sqlx's `Any` driver; queries are written once in portable SQL with
//! `$n` placeholders, which both engines accept.

use crate::platform::config::Config;
use crate::platform::secret::{SecretUrl, redact_url};
use sqlx::{
    Any, AnyConnection, AnyPool, Connection, Transaction,
    any::AnyPoolOptions,
    migrate::{MigrateDatabase, Migrator},
    pool::PoolConnection,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Run on every new SQLite connection: WAL, `busy_timeout` 5 s, foreign keys, `synchronous =
/// NORMAL` (public so that measurements such as `examples/sqlite_parallel_reads` use the same).
pub const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/// Which database engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// An SQLite file (WAL, `busy_timeout` 5 s, writes in `BEGIN IMMEDIATE`, SEC-32).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A database handle: cheap to clone, shared by every request. Every statement the app runs
/// goes through [`Db::pool`], [`Db::connection`] or [`Db::begin_write`], which count their uses
/// ([`Db::uses`]), so a test can prove that a request never touched the database (SEC-05).
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    uses: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Why the database could not be opened. No variant shows `DATABASE_URL`'s password (SEC-45).
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    /// The URL names no engine we support (the URL as given, its password redacted).
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    /// Connecting or migrating failed with a message that named the password: the message with
    /// the password replaced (the driver's error is dropped, since its text holds the secret).
    #[error("database: {0}")]
    Redacted(String),
    /// Connecting or migrating failed.
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Engine {
    /// The engine a `DATABASE_URL` names.
    pub fn from_url(url: &str) -> Result<Self, DbSetupError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(DbSetupError::UnsupportedUrl(redact_url(url)))
        }
    }
}

impl DbSetupError {
    /// This error, or its text with `url`'s password replaced when any message in its chain (or
    /// its `Debug`) shows the password.
    fn without_secret(self, url: &SecretUrl) -> Self {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(&self);
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            if !text.contains(&cause_text) {
                text = format!("{text}: {cause_text}");
            }
            source = cause.source();
        }
        let shows_secret = |t: &str| matches!(url.scrub(t), std::borrow::Cow::Owned(_));
        if !shows_secret(&text) && !shows_secret(&format!("{self:?}")) {
            return self;
        }
        let text = text.strip_prefix("database: ").unwrap_or(&text);
        Self::Redacted(url.scrub(text).into_owned())
    }
}

impl Db {
    /// Opens the pool (creating an SQLite file if needed) and applies pending migrations. No error
    /// it returns shows the URL's password.
    pub async fn connect(config: &Config) -> Result<Self, DbSetupError> {
        Self::open(config)
            .await
            .map_err(|e| e.without_secret(&config.database_url))
    }

    async fn open(config: &Config) -> Result<Self, DbSetupError> {
        sqlx::any::install_default_drivers();
        let url = config.database_url.expose();
        let engine = Engine::from_url(url)?;
        if engine == Engine::Sqlite {
            sqlite_without_memory_statistics();
            if !Any::database_exists(url).await.unwrap_or(false) {
                create_sqlite_parent_dir(url);
                Any::create_database(url).await?;
            }
        }
        let pool = AnyPoolOptions::new()
            .max_connections(config.db_max_connections)
            .min_connections(0)
            .acquire_timeout(config.db_acquire_timeout)
            // A connection broken by a database restart is replaced, not reused (SEC-34). An
            // SQLite file has no server to restart, and the test is a round trip to the
            // connection's worker thread before every statement: PostgreSQL only.
            .test_before_acquire(engine == Engine::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        sqlx::raw_sql(SQLITE_PRAGMAS).execute(conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        let db = Self {
            pool,
            engine,
            uses: Default::default(),
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations of this engine that have not run yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    /// Whether this is PostgreSQL (for the few statements whose syntax differs, such as
    /// `FOR UPDATE SKIP LOCKED`).
    pub fn is_postgres(&self) -> bool {
        self.engine == Engine::Postgres
    }

    /// The pool, for reads and single-statement writes.
    pub fn pool(&self) -> &AnyPool {
        self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        &self.pool
    }

    /// How many times the pool was reached for a statement or a transaction since start.
    pub fn uses(&self) -> u64 {
        self.uses.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// One connection of the pool, held for several statements in a row (the sessions page's
    /// list: the visit, the sessions, where CLI sessions came from, the account's factors). A
    /// statement run on the pool takes a connection and gives it back; sqlx tests a connection
    /// it gets back with a `ping`, on SQLite one more round trip to the connection's worker
    /// thread. Held, the connection is taken and tested once. Functions that run on it take
    /// `&mut AnyConnection` (a transaction is one too) and end in `_in`. Hold it only for a
    /// few statements, and never while waiting for another connection: writes run on it
    /// ([`Db::begin_write_on`]), not through [`Db::begin_write`].
    pub async fn connection(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.pool.acquire().await
    }

    /// [`Db::begin_write`] on a connection already held ([`Db::connection`]), with no transaction
    /// open on it (SQLite refuses a nested `BEGIN IMMEDIATE`; PostgreSQL would make a savepoint).
    pub async fn begin_write_on<'c>(
        &self,
        conn: &'c mut AnyConnection,
    ) -> Result<Transaction<'c, Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => conn.begin().await,
        }
    }

    /// A transaction for writes. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`)
    /// so concurrent writers queue on `busy_timeout` instead of failing with "database is
    /// locked" when a read lock cannot be upgraded.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// Whether the database answers (used by `/healthz`).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Turns off SQLite's memory statistics, once per process and before its first connection
/// (`sqlite3_config` works only before SQLite initialises itself).
///
/// With them on (the bundled library's default), every allocation and free inside SQLite takes
/// one process-wide mutex to count bytes. sqlx copies each column value of each row out of SQLite
/// on the connection's worker thread and frees it on a request thread, so with requests in
/// parallel that mutex is contended on every value: the list request's two statements ran at
/// 4,672 pairs/s with it and 9,920 without (BENCHMARKS.md, fourth pass, "SQLite without memory
/// statistics"). The app reads none of these statistics and sets no SQLite heap limit, which
/// would need them.
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: called before any connection is opened in this process (`connect` is the only
        // way the app opens one), with the integer argument SQLITE_CONFIG_MEMSTATUS takes.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::warn!(
                rc,
                "SQLite was initialised already; its memory statistics stay on"
            );
        }
    });
}

fn create_sqlite_parent_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        // If this fails, creating the database reports the real problem.
        let _ = std::fs::create_dir_all(parent);
    }
}

/// Whether an error means "the database is unavailable right now" (503) rather than a bug (500).
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            // SQLite: SQLITE_BUSY (5) / SQLITE_LOCKED (6) / SQLITE_CANTOPEN (14);
            // PostgreSQL: class 08 (connection), 53 (resources), 57P (shutdown).
            let code = db.code().unwrap_or_default();
            matches!(code.as_ref(), "5" | "6" | "14" | "261" | "517")
                || code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57P")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite keeps no memory statistics once the app has connected: the counter that the
    /// process-wide mutex guards stays at zero while a connection allocates (with statistics on,
    /// an open connection alone holds tens of kilobytes in it).
    #[tokio::test]
    async fn sqlite_counts_no_memory_after_connect() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/stats.db", dir.path().display());
        let config = Config::from_lookup(|name| (name == "DATABASE_URL").then(|| url.clone()))
            .expect("config");
        let db = Db::connect(&config).await.expect("connect");
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM sessions")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert!(rows.is_empty());
        // SAFETY: a plain read of a counter.
        let used = unsafe { libsqlite3_sys::sqlite3_memory_used() };
        assert_eq!(
            used, 0,
            "SQLite still counts its memory: {used} bytes in use"
        );
    }
}
