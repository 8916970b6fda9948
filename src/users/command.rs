//! `active-sessions user add|disable|delete EMAIL`: account administration from the shell.
//! `add` reads the password from the first line of standard input.

use crate::auth::password::{check_new_password, hash_blocking};
use crate::server::{
    clock::{Clock, SystemClock},
    config::Config,
    db::Db,
};
use crate::users::{
    email::Email,
    repository::{self, CreateUserError},
};
use std::io::BufRead;

/// Runs a `user` subcommand; `Err` carries the message to print before exiting non-zero.
pub async fn run(config: &Config, args: &[String]) -> Result<String, String> {
    let (action, email) = match args {
        [action, email] => (action.as_str(), email.as_str()),
        _ => return Err(USAGE.to_owned()),
    };
    let email = Email::parse(email).map_err(str::to_owned)?;
    let db = Db::connect(config)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let now = SystemClock.now();
    let result = match action {
        "add" => add(&db, &email, now).await,
        "disable" => match repository::disable(&db, email.as_str(), now).await {
            Ok(true) => Ok(format!(
                "disabled {} and ended all of its sessions",
                email.as_str()
            )),
            Ok(false) => Err(format!("no account with email {}", email.as_str())),
            Err(e) => Err(format!("database error: {e}")),
        },
        "delete" => match repository::delete(&db, email.as_str()).await {
            Ok(true) => Ok(format!(
                "deleted {} and all of its sessions",
                email.as_str()
            )),
            Ok(false) => Err(format!("no account with email {}", email.as_str())),
            Err(e) => Err(format!("database error: {e}")),
        },
        _ => Err(USAGE.to_owned()),
    };
    db.close().await;
    result
}

async fn add(db: &Db, email: &Email, now: i64) -> Result<String, String> {
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
    match repository::create(db, email.as_str(), &hash, now).await {
        Ok(_) => Ok(format!("created account {}", email.as_str())),
        Err(CreateUserError::Duplicate) => Err(format!(
            "an account with email {} already exists",
            email.as_str()
        )),
        Err(CreateUserError::Db(e)) => Err(format!("database error: {e}")),
    }
}

/// Help text of the `user` command.
pub const USAGE: &str = "usage: active-sessions user add EMAIL      (password on the first line of stdin)\n       active-sessions user disable EMAIL\n       active-sessions user delete EMAIL";
