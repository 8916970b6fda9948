//! The database of a test: a fresh SQLite file or PostgreSQL database, and direct queries.

use super::TestApp;
use sqlx::AssertSqlSafe;
use std::sync::Arc;

/// Which engine the suite runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestEngine {
    /// A fresh SQLite file per test.
    Sqlite,
    /// A fresh PostgreSQL database per test.
    Postgres,
}

/// The engine chosen by `TEST_DATABASE`.
pub fn engine() -> TestEngine {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") | Ok("postgresql") | Ok("pg") => TestEngine::Postgres,
        _ => TestEngine::Sqlite,
    }
}

/// A fresh database: its URL and what keeps it alive.
#[derive(Clone)]
pub struct TestDatabase {
    /// `DATABASE_URL` of the database.
    pub url: String,
    /// Path of the SQLite file (None on PostgreSQL).
    pub sqlite_path: Option<std::path::PathBuf>,
    _dir: Option<Arc<tempfile::TempDir>>,
}

impl TestDatabase {
    /// Creates an empty database for one test.
    pub async fn fresh() -> Self {
        match engine() {
            TestEngine::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let path = dir.path().join("test.db");
                Self {
                    url: format!("sqlite://{}", path.display()),
                    sqlite_path: Some(path),
                    _dir: Some(Arc::new(dir)),
                }
            }
            TestEngine::Postgres => {
                let admin = std::env::var("TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
                let name = format!("test_{}", random_hex(8));
                let admin_pool = sqlx::PgPool::connect(&admin)
                    .await
                    .expect("connect to TEST_POSTGRES_URL");
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin_pool)
                    .await
                    .expect("CREATE DATABASE");
                admin_pool.close().await;
                Self {
                    url: replace_database(&admin, &name),
                    sqlite_path: None,
                    _dir: None,
                }
            }
        }
    }
}

/// `postgres://u@h:p/db?x` with `db` replaced by `name`.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let (scheme, rest) = base.split_once("://").expect("URL with scheme");
    let authority = rest.split('/').next().unwrap_or(rest);
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestApp {
    /// Runs `sql` (with `$1` bound to `arg`) and returns the single i64 it yields.
    pub async fn scalar_i64(&self, sql: &'static str, arg: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(arg.to_owned())
            .fetch_one(self.state.db.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        n
    }

    /// Waits (at most 10 s) until the purge has deleted the session with this public id.
    pub async fn wait_until_purged(&self, public_id: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self
            .scalar_i64(
                "SELECT COUNT(*) FROM sessions WHERE public_id = $1",
                public_id,
            )
            .await
            > 0
        {
            assert!(
                std::time::Instant::now() < deadline,
                "session {public_id} not purged"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Every value of every column of every table, as text (blobs as hex in some form).
    pub async fn dump_database_text(&self) -> Vec<String> {
        let pool = self.state.db.pool();
        let mut out = Vec::new();
        match engine() {
            TestEngine::Sqlite => {
                let tables: Vec<(String,)> =
                    sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                        .fetch_all(pool)
                        .await
                        .unwrap();
                for (table,) in tables {
                    let columns: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(format!(
                        "SELECT name FROM pragma_table_info('{table}')"
                    )))
                    .fetch_all(pool)
                    .await
                    .unwrap();
                    for (column,) in columns {
                        // quote() renders every type as text; blobs as X'hex'.
                        let values: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(format!(
                            "SELECT quote(\"{column}\") FROM \"{table}\""
                        )))
                        .fetch_all(pool)
                        .await
                        .unwrap();
                        out.extend(values.into_iter().map(|(v,)| v));
                    }
                }
            }
            TestEngine::Postgres => {
                let columns: Vec<(String, String)> = sqlx::query_as(
                    "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) \
                     FROM information_schema.columns WHERE table_schema = 'public'",
                )
                .fetch_all(pool)
                .await
                .unwrap();
                for (table, column) in columns {
                    let values: Vec<(Option<String>,)> = sqlx::query_as(AssertSqlSafe(format!(
                        "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\""
                    )))
                    .fetch_all(pool)
                    .await
                    .unwrap();
                    out.extend(values.into_iter().filter_map(|(v,)| v));
                }
            }
        }
        out
    }
}
