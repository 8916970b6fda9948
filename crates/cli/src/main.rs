//! `active-sessions-cli`: sign in from a terminal (approved in the browser), list and revoke
//! sessions, sign out. Talks to the JSON API with a bearer token kept in the user's config
//! directory (file mode 0600) and sent only to the server that issued it.

mod cli;
mod client;
mod commands;
mod credentials;
mod error;
mod output;
mod server;

use clap::Parser;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("active-sessions-cli: {message}");
            ExitCode::FAILURE
        }
    }
}
