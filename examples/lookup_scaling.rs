//! How the per-request cost of authentication grows with the data: the token lookup alone, and
//! the lookup plus the `last_seen_at` write (once a minute per session), at 10^3, 10^5 and 10^6
//! stored sessions (up to 10^5 accounts), on SQLite and — with `BENCH_POSTGRES_URL` — PostgreSQL.
//! Run by `scripts/bench` in release mode; prints p50 / p99 per size (medians of interleaved
//! rounds) and the 10^6 / 10^3 ratio.
//!
//! `cargo run --release --no-default-features --features ssr --example lookup_scaling`

use active_sessions::platform::{clock::ManualClock, config::Config};
use active_sessions::server::build_state;
use active_sessions::sessions::caller::Credential;
use active_sessions::sessions::service::authenticate;
use active_sessions::sessions::token::SessionToken;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIZES: [i64; 3] = [1_000, 100_000, 1_000_000];
/// Known tokens timed per pass (all the sessions at 10^3).
const PROBES: usize = 1_000;
/// Rounds over all sizes, size after size within each round, the order rotated from round to
/// round (6 rounds: each size twice in each position): every size sees the same machine (and,
/// for PostgreSQL, the same WAL flush latency) in every position, and the figures are the
/// rounds' medians. A first, untimed round warms each
/// database. With one pass per size, run one after another, PostgreSQL's write p50 at 10^3 swung
/// between 0.23 and 0.43 ms between runs of unchanged code (BENCHMARKS.md).
const ROUNDS: usize = 6;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut engines = vec![("SQLite", None)];
    if let Ok(url) = std::env::var("BENCH_POSTGRES_URL") {
        engines.push(("PostgreSQL", Some(url)));
    }
    println!(
        "| Engine | Stored sessions | lookup p50 | lookup p99 | lookup + write p50 | lookup + write p99 |"
    );
    println!("|---|---|---|---|---|---|");
    for (engine, admin_url) in engines {
        let mut seeded = Vec::new();
        for (i, n) in SIZES.into_iter().enumerate() {
            let url = match &admin_url {
                None => format!("sqlite://{}/scale{i}.db", dir.path().display()),
                Some(admin) => fresh_postgres(admin, i).await?,
            };
            seeded.push(Seeded::new(&url, n, admin_url.is_some()).await?);
        }
        // rounds[size] = each round's (lookup p50, lookup p99, write p50, write p99)
        let mut rounds = vec![Vec::new(); SIZES.len()];
        for round in 0..=ROUNDS {
            for k in 0..SIZES.len() {
                let size = (k + round) % SIZES.len();
                let bench = &seeded[size];
                let (lookup, write) = (bench.pass(false).await, bench.pass(true).await);
                if round > 0 {
                    rounds[size].push([lookup.0, lookup.1, write.0, write.1]);
                }
            }
        }
        let medians: Vec<[Duration; 4]> = rounds
            .iter()
            .map(|r| std::array::from_fn(|k| median(r.iter().map(|f| f[k]).collect())))
            .collect();
        for (n, m) in SIZES.iter().zip(&medians) {
            println!(
                "| {engine} | {n} | {} | {} | {} | {} |",
                ms(m[0]),
                ms(m[1]),
                ms(m[2]),
                ms(m[3])
            );
        }
        let (first, last) = (medians[0], medians[medians.len() - 1]);
        println!(
            "| {engine} | ratio 10^6 / 10^3 (p50) | {:.2} | | {:.2} | |",
            last[0].as_secs_f64() / first[0].as_secs_f64(),
            last[2].as_secs_f64() / first[2].as_secs_f64()
        );
        for bench in seeded {
            bench.state.db.close().await;
        }
    }
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2
    } else {
        v[mid]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

async fn fresh_postgres(admin: &str, i: usize) -> anyhow::Result<String> {
    use sqlx::Connection;
    let name = format!("lookup_scaling_{i}_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// A database of one size, ready to time.
struct Seeded {
    state: active_sessions::platform::state::AppState,
    clock: ManualClock,
    tokens: Vec<SessionToken>,
}

impl Seeded {
    /// Seeds `n` sessions over `n / 10` (at most 10^5) accounts, `PROBES` of them with known tokens.
    async fn new(url: &str, n: i64, postgres: bool) -> anyhow::Result<Self> {
        let config = Config::from_lookup(|k| match k {
            "DATABASE_URL" => Some(url.to_owned()),
            "SESSION_IDLE_TIMEOUT_SECS" => Some("31536000".into()),
            _ => None,
        })?;
        let clock = ManualClock::new();
        let options = LeptosOptions::builder().output_name("bench").build();
        let state = build_state(config, options, Arc::new(clock.clone())).await?;
        let db = state.db.pool();
        let accounts = (n / 10).clamp(1, 100_000);
        let now = state.now();
        // Rows generated in the database itself: emails, random token hashes and public ids.
        let (users_sql, sessions_sql) = if postgres {
            (
                "INSERT INTO users (email, password_hash, created_at, password_changed_at) \
                 SELECT 'u' || x || '@bench', 'x', $2, $2 FROM generate_series(1, $1) AS x",
                "INSERT INTO sessions (public_id, token_hash, user_id, kind, sign_in_method, \
                 created_at, authenticated_at, last_seen_at, expires_at) \
                 SELECT md5(x::text), decode(md5(x::text) || md5((-x)::text), 'hex'), \
                 1 + x % $2, 'web', 'password', $3, $3, $3, $3 + 31536000 \
                 FROM generate_series(1, $1) AS x",
            )
        } else {
            (
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $1) \
                 INSERT INTO users (email, password_hash, created_at, password_changed_at) \
                 SELECT 'u' || x || '@bench', 'x', $2, $2 FROM c",
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $1) \
                 INSERT INTO sessions (public_id, token_hash, user_id, kind, sign_in_method, \
                 created_at, authenticated_at, last_seen_at, expires_at) \
                 SELECT hex(randomblob(11)), randomblob(32), 1 + x % $2, 'web', 'password', \
                 $3, $3, $3, $3 + 31536000 FROM c WHERE x <= $1",
            )
        };
        sqlx::query(users_sql)
            .bind(accounts)
            .bind(now)
            .execute(db)
            .await?;
        sqlx::query(sessions_sql)
            .bind(n - PROBES as i64)
            .bind(accounts)
            .bind(now)
            .execute(db)
            .await?;
        let mut tokens = Vec::with_capacity(PROBES);
        for i in 0..PROBES {
            let token = SessionToken::generate();
            sqlx::query(
                "INSERT INTO sessions (public_id, token_hash, user_id, kind, sign_in_method, \
                 created_at, authenticated_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, 'web', 'password', $4, $4, $4, $4 + 31536000)",
            )
            .bind(format!("probe{i:017}"))
            .bind(token.hash().0.to_vec())
            .bind(1 + (i as i64 * 7919) % accounts)
            .bind(now)
            .execute(db)
            .await?;
            tokens.push(token);
        }
        if !postgres {
            sqlx::query("ANALYZE").execute(db).await?;
        } else {
            sqlx::query("VACUUM ANALYZE").execute(db).await?;
        }
        Ok(Self {
            state,
            clock,
            tokens,
        })
    }

    /// Times `authenticate` for the known tokens: (p50, p99). With `write`, every probe's
    /// `last_seen_at` is first made a minute old, so each lookup also writes.
    async fn pass(&self, write: bool) -> (Duration, Duration) {
        if write {
            self.clock.advance(61);
        }
        let mut samples = Vec::with_capacity(PROBES);
        for token in &self.tokens {
            let started = Instant::now();
            authenticate(&self.state, token.expose(), Credential::Cookie, None)
                .await
                .expect("a probe token authenticates");
            samples.push(started.elapsed());
        }
        samples.sort();
        (samples[PROBES / 2], samples[PROBES * 99 / 100])
    }
}
