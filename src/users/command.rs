//! `active-sessions user add|disable|delete EMAIL`: account administration from the shell.
//! `add` reads the password from the first line of standard input.

use crate::platform::config::{Config, DEFAULT_DATABASE_URL};
use crate::platform::password::{check_new_password, hash_blocking};
use crate::platform::{clock::SystemClock, db::Db, state::AppState};
use crate::users::{
    email::Email,
    service::{self, AdminOutcome, CreateUserError},
};
use leptos::prelude::LeptosOptions;
use std::io::BufRead;
use std::sync::Arc;

/// What to do with an account.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account (password on the first line of standard input).
    Add {
        /// The account's email address.
        email: String,
    },
    /// Disable an account and end all of its sessions.
    Disable {
        /// The account's email address.
        email: String,
    },
    /// Delete an account and all of its sessions.
    Delete {
        /// The account's email address.
        email: String,
    },
}

/// The shell command that creates an account with this server's binary, as the login page and
/// the start-up log show it while the database has no account. The binary is named by its path
/// from the working directory (`target/debug/active-sessions` under `scripts/serve`), so the
/// command works from where the server was started; a binary outside that directory, a path that
/// would need shell quoting, or a server running inside another program (the tests) gives the
/// bare name, and no absolute path of the machine is ever shown.
pub fn add_command() -> String {
    let relative = std::env::current_exe()
        .ok()
        .filter(|exe| {
            exe.file_name()
                .is_some_and(|name| name == "active-sessions")
        })
        .zip(std::env::current_dir().ok())
        .and_then(|(exe, dir)| Some(exe.strip_prefix(dir).ok()?.to_str()?.to_owned()))
        .filter(|path| {
            path.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        });
    let binary = match relative {
        Some(path) if path.contains('/') => path,
        Some(path) => format!("./{path}"),
        None => "active-sessions".to_owned(),
    };
    format!("printf 'a long passphrase\\n' | {binary} user add you@example.com")
}

/// Whether [`add_command`] needs the server's `DATABASE_URL` beside it (the server does not use
/// the default database). Its value is never shown: it may hold a password.
pub fn add_command_needs_database_url(config: &Config) -> bool {
    config.database_url.expose() != DEFAULT_DATABASE_URL
}

/// Runs a `user` subcommand; `Err` carries the message to print before exiting non-zero.
pub async fn run(config: Config, command: UserCommand) -> Result<String, String> {
    let (UserCommand::Add { email }
    | UserCommand::Disable { email }
    | UserCommand::Delete { email }) = &command;
    let email = Email::parse(email).map_err(str::to_owned)?;
    let db = Db::connect(&config)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let state = AppState::new(
        LeptosOptions::builder()
            .output_name("active-sessions")
            .build(),
        db,
        config,
        Arc::new(SystemClock),
    );
    let result = match command {
        UserCommand::Add { .. } => add(&state, &email).await,
        UserCommand::Disable { .. } => match service::disable(&state, email.as_str()).await {
            Ok(AdminOutcome::Done { .. }) => Ok(format!(
                "disabled {} and ended all of its sessions",
                email.as_str()
            )),
            Ok(AdminOutcome::NoSuchAccount) => Err(no_account(&email)),
            Err(e) => Err(format!("database error: {e}")),
        },
        UserCommand::Delete { .. } => match service::delete(&state, email.as_str()).await {
            Ok(AdminOutcome::Done { .. }) => Ok(format!(
                "deleted {} and all of its sessions",
                email.as_str()
            )),
            Ok(AdminOutcome::NoSuchAccount) => Err(no_account(&email)),
            Err(e) => Err(format!("database error: {e}")),
        },
    };
    state.db.close().await;
    result
}

fn no_account(email: &Email) -> String {
    format!("no account with email {}", email.as_str())
}

async fn add(state: &AppState, email: &Email) -> Result<String, String> {
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    check_new_password(&password).map_err(|e| e.to_string())?;
    let hash = tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    match service::create(&state.db, email.as_str(), &hash, state.now()).await {
        Ok(_) => Ok(format!("created account {}", email.as_str())),
        Err(CreateUserError::Duplicate) => Err(format!(
            "an account with email {} already exists",
            email.as_str()
        )),
        Err(CreateUserError::Db(e)) => Err(format!("database error: {e}")),
    }
}
