//! Why the app turns SQLite's memory statistics off (`platform::db`): the list request's two
//! statements (token lookup, list of 20 sessions) run from 64 tasks over an 8-connection pool on
//! two runtime threads for 4 s, through sqlx's `Any` driver (as the app) and its native SQLite
//! driver, with SQLite's memory statistics `on` (the library's default) or `off` (the app's
//! setting; it can only be chosen before SQLite initialises, so one run per process).
//!
//! Needs a database with an account of 20 sessions, e.g. `target/bench/bench.db` after
//! `scripts/bench`:
//! `cargo run --release --no-default-features --features ssr --example sqlite_parallel_reads -- sqlite://$PWD/target/bench/bench.db off`

use active_sessions::platform::db::SQLITE_PRAGMAS;
use active_sessions::sessions::repository::{AuthRow, FIND_BY_TOKEN, LIST_LIVE, SessionRow};
use std::time::{Duration, Instant};

const SECS: u64 = 4;

/// Lookups + lists per second over `SECS`, 64 tasks in parallel.
macro_rules! pairs_per_sec {
    ($pool:expr, $hash:expr, $user:expr) => {{
        let stop = Instant::now() + Duration::from_secs(SECS);
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let (pool, hash, user) = ($pool.clone(), $hash.clone(), $user);
            tasks.push(tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < stop {
                    let found: Option<AuthRow> = sqlx::query_as(FIND_BY_TOKEN)
                        .bind(hash.clone())
                        .fetch_optional(&pool)
                        .await?;
                    anyhow::ensure!(found.is_some(), "token not found");
                    let rows: Vec<SessionRow> = sqlx::query_as(LIST_LIVE)
                        .bind(user)
                        .bind(0i64)
                        .bind(0i64)
                        .fetch_all(&pool)
                        .await?;
                    anyhow::ensure!(rows.len() >= 20, "the account has {} sessions", rows.len());
                    done += 1;
                }
                Ok(done)
            }));
        }
        let mut total = 0;
        for task in tasks {
            total += task.await??;
        }
        total as f64 / SECS as f64
    }};
}

#[tokio::main(worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: URL on|off"))?;
    let statistics = args.next().unwrap_or_else(|| "off".into());
    anyhow::ensure!(
        statistics == "on" || statistics == "off",
        "on or off, not {statistics}"
    );
    if statistics == "off" {
        // SAFETY: before any connection of this process, with the integer the option takes.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        anyhow::ensure!(
            rc == libsqlite3_sys::SQLITE_OK,
            "sqlite3_config failed: {rc}"
        );
    }
    sqlx::any::install_default_drivers();
    // The same pool for both drivers: 8 connections, each set up as the app sets up its own.
    macro_rules! pool {
        ($options:ty) => {
            <$options>::new()
                .max_connections(8)
                .after_connect(|c, _| {
                    Box::pin(
                        async move { sqlx::raw_sql(SQLITE_PRAGMAS).execute(c).await.map(|_| ()) },
                    )
                })
                .connect(&url)
                .await?
        };
    }
    let any = pool!(sqlx::any::AnyPoolOptions);
    let native = pool!(sqlx::sqlite::SqlitePoolOptions);
    let (hash, user): (Vec<u8>, i64) =
        sqlx::query_as("SELECT token_hash, user_id FROM sessions WHERE revoked_at IS NULL LIMIT 1")
            .fetch_one(&native)
            .await?;
    for round in 1..=2 {
        let through_any = pairs_per_sec!(any, hash, user);
        let through_native = pairs_per_sec!(native, hash, user);
        println!(
            "memory statistics {statistics}, round {round}: Any {through_any:.0} lookups+lists/s, \
             native SQLite {through_native:.0}/s"
        );
    }
    Ok(())
}
