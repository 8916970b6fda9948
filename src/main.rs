//! The server binary: `active-sessions [serve]` serves the app; `active-sessions user …`
//! administers accounts. Settings come from the environment (see README).

use active_sessions::platform::{clock::SystemClock, config::Config};
use active_sessions::server::{self, leptos_options, shutdown_signal};
use active_sessions::users::command::{self, UserCommand};
use clap::{Parser, Subcommand};
use std::{process::ExitCode, sync::Arc};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    server::serve(listener, state, shutdown_signal()).await
}
