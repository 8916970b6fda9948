//! The server binary: `active-sessions [serve]` serves the app; `active-sessions user …`
//! administers accounts. Settings come from the environment (see README).

use active_sessions::server::{
    self, clock::SystemClock, config::Config, leptos_options, shutdown_signal,
};
use std::{process::ExitCode, sync::Arc};

const HELP: &str = "active-sessions — the Active sessions settings page\n\n\
usage: active-sessions [serve]           serve on LEPTOS_SITE_ADDR (default 127.0.0.1:3000)\n       \
active-sessions user add EMAIL    create an account (password on stdin)\n       \
active-sessions user disable EMAIL\n       active-sessions user delete EMAIL\n\n\
settings: DATABASE_URL, LEPTOS_SITE_ADDR, PUBLIC_URL, SESSION_IDLE_TIMEOUT_SECS, \
SESSION_ABSOLUTE_TIMEOUT_SECS, … (README)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("active-sessions: {e}");
            return ExitCode::from(2);
        }
    };
    match args.first().map(String::as_str) {
        None | Some("serve") => match serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("active-sessions: {e:#}");
                ExitCode::FAILURE
            }
        },
        Some("user") => match active_sessions::users::command::run(&config, &args[1..]).await {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("active-sessions: {message}");
                ExitCode::FAILURE
            }
        },
        Some("-h" | "--help" | "help") => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("active-sessions: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
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
