//! The server binary: `active-sessions [serve]` serves the app; `active-sessions user …`
//! administers accounts. Settings come from the environment (see README).

use active_sessions::platform::{clock::SystemClock, config::Config};
use active_sessions::server::{self, leptos_options, shutdown_signal};
use active_sessions::users::command::{self, UserCommand};
use clap::{Parser, Subcommand};
use std::{process::ExitCode, sync::Arc};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (its Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc keeps freed memory for a second before giving it back to the system; this server
/// frees in bursts (a page render, Argon2's 19 MiB per sign-in), so it gives it back at once:
/// RSS after load 100 MB -> 64 MB, with `no_thp` (Cargo.toml), at no throughput cost the
/// benchmark can tell apart (BENCHMARKS.md). `MIMALLOC_PURGE_DELAY` in the environment wins
/// (spelled so; mimalloc's other spellings of it are overridden).
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a process-wide integer option; mimalloc reads it when it next purges.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

/// active-sessions — the Active sessions settings page.
///
/// Settings: DATABASE_URL, LEPTOS_SITE_ADDR, PUBLIC_URL, SESSION_IDLE_TIMEOUT_SECS,
/// SESSION_ABSOLUTE_TIMEOUT_SECS, … (see the README).
#[derive(Parser)]
#[command(name = "active-sessions", version)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve on LEPTOS_SITE_ADDR (default 127.0.0.1:3000); the default.
    Serve,
    /// Administer accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
    tune_allocator();
    let args = Args::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("active-sessions: {e}");
            return ExitCode::from(2);
        }
    };
    match args.command.unwrap_or(Command::Serve) {
        Command::Serve => match serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("active-sessions: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::User(user) => match command::run(config, user).await {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("active-sessions: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let options = leptos_options()?;
    let addr = options.site_addr;
    active_sessions::sessions::client_info::warm_up();
    let state = server::build_state(config, options, Arc::new(SystemClock)).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    // The newcomer's next step, printed while the database has no account (the login page says
    // the same then); nothing here creates one.
    if let Ok(false) = active_sessions::users::service::any_account(&state.db).await {
        let with_url = if command::add_command_needs_database_url(&state.config) {
            " (with this DATABASE_URL)"
        } else {
            ""
        };
        let command = command::add_command();
        tracing::info!("no account exists yet; create the first one with: {command}{with_url}");
    }
    server::serve(listener, state, shutdown_signal()).await
}

#[cfg(test)]
mod tests {
    use super::{MI_OPTION_PURGE_DELAY, tune_allocator};

    /// The option number names the purge delay: mimalloc 3's default for it is 1,000 ms (no
    /// other option defaults to that), and tuning sets it to 0.
    #[test]
    fn the_allocator_gives_memory_back_at_once() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            get(),
            1000,
            "option {MI_OPTION_PURGE_DELAY} is not the purge delay"
        );
        tune_allocator();
        assert_eq!(get(), 0);
    }
}
