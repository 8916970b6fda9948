//! The commands: API calls, credentials and what they print.

use crate::client::Client;
use crate::credentials::{self, Credentials};
use crate::output;
use crate::server::{self, DEFAULT_SERVER, Server};
use active_sessions_api::ErrorCode;
use std::time::{Duration, Instant};

/// `login`: start a grant, show where to approve it, wait for the approval, save the token.
///
/// The server is `--server`/`$ACTIVE_SESSIONS_URL`, else the saved one, else the default. A
/// login to another server replaces the saved credentials once it has succeeded.
pub async fn login(requested: Option<Server>) -> Result<(), String> {
    let server = match requested {
        Some(server) => server,
        None => match credentials::load().ok().flatten() {
            Some(saved) => Server::parse(&saved.server)?,
            None => Server::parse(DEFAULT_SERVER)?,
        },
    };
    let client = Client::anonymous(server)?;
    let started = client.start_grant().await?;
    println!(
        "To sign in, open {} in a browser where you are signed in",
        started.verification_uri
    );
    println!("and confirm the code {}", started.user_code);
    println!("(or open {})", started.verification_uri_complete);
    println!("Waiting for approval…");
    let deadline = Instant::now() + Duration::from_secs(started.expires_in.max(0).unsigned_abs());
    let mut interval = Duration::from_secs(started.interval.max(1).unsigned_abs());
    while Instant::now() < deadline {
        tokio::time::sleep(interval).await;
        let error = match client.redeem(&started.device_code).await {
            Ok(issued) => {
                let path = credentials::save(&Credentials {
                    server: client.server().to_string(),
                    token: issued.token,
                    session_id: issued.session_id.clone(),
                })?;
                println!(
                    "Logged in. Session {} (expires {}).",
                    issued.session_id, issued.expires_at
                );
                println!("Token saved to {}", path.display());
                return Ok(());
            }
            Err(error) => error,
        };
        match error.code() {
            ErrorCode::AuthorizationPending => {}
            ErrorCode::RateLimited => {
                // Slow down: one second more each time, at least what the server asks for.
                interval += Duration::from_secs(1);
                if let Some(after) = error.detail.retry_after {
                    interval = interval.max(Duration::from_secs(after));
                }
            }
            ErrorCode::AccessDenied => return Err("the sign-in was denied in the browser".into()),
            ErrorCode::ExpiredToken => return Err("the code expired; run `login` again".into()),
            _ => return Err(error.into()),
        }
    }
    Err("the code expired; run `login` again".into())
}

/// The saved credentials, or the advice to log in.
fn saved() -> Result<Credentials, String> {
    credentials::load()?
        .ok_or_else(|| "not logged in; run `active-sessions-cli login` first".into())
}

/// `sessions list`: a table of the account's live sessions.
pub async fn list(requested: Option<Server>) -> Result<(), String> {
    let saved = saved()?;
    let client = Client::signed_in(&saved, requested.as_ref())?;
    let sessions = client.sessions().await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    print!("{}", output::sessions_table(&sessions, now));
    Ok(())
}

/// `sessions revoke ID [--confirm-current]`.
pub async fn revoke(
    requested: Option<Server>,
    id: &str,
    confirm_current: bool,
) -> Result<(), String> {
    let saved = saved()?;
    let client = Client::signed_in(&saved, requested.as_ref())?;
    match client.revoke(id, confirm_current).await {
        Ok(()) => {
            println!("Revoked session {id}.");
            if id == saved.session_id {
                credentials::remove()?;
            }
            Ok(())
        }
        Err(error)
            if error.code() == ErrorCode::ConfirmationRequired
                || error.status.is_some_and(|s| s.as_u16() == 409) =>
        {
            Err("that is this CLI's own session; use `logout` or add --confirm-current".into())
        }
        Err(error) => Err(error.into()),
    }
}

/// `sessions history`: what ended in the last 30 days.
pub async fn history(requested: Option<Server>) -> Result<(), String> {
    let saved = saved()?;
    let client = Client::signed_in(&saved, requested.as_ref())?;
    let ended = client.ended().await?;
    print!("{}", output::ended_table(&ended));
    Ok(())
}

/// `sessions rename ID LABEL`: name a session (an empty label removes the name).
pub async fn rename(requested: Option<Server>, id: &str, label: &str) -> Result<(), String> {
    let saved = saved()?;
    let client = Client::signed_in(&saved, requested.as_ref())?;
    let label = Some(label.trim()).filter(|l| !l.is_empty());
    let detail = client.rename(id, label).await?;
    match detail.label {
        Some(label) => println!("Session {id} is now named \"{label}\" ({}).", detail.name),
        None => println!("Session {id} has no name now; it shows as {}.", detail.name),
    }
    Ok(())
}

/// `logout`: revoke the CLI's own session and forget the token.
pub async fn logout(requested: Option<Server>) -> Result<(), String> {
    let Some(saved) = credentials::load()? else {
        println!("Not logged in.");
        return Ok(());
    };
    if let Err(refused) = Server::parse(&saved.server) {
        // Saved by an older CLI for a server this one will not send the token to: forget it
        // without contacting the server.
        credentials::remove()?;
        println!(
            "Forgot the token for {} without contacting it ({refused}); revoke that session in \
             the browser.",
            saved.server
        );
        return Ok(());
    }
    let client = Client::signed_in(&saved, requested.as_ref())?;
    let result = client.revoke(&saved.session_id, true).await;
    if let Err(error) = &result
        && error.code() == ErrorCode::Transport
    {
        // Nothing was revoked: keep the token so that `logout` can be tried again.
        return Err(error.to_string());
    }
    credentials::remove()?;
    match result {
        Ok(()) => println!("Logged out."),
        Err(e) if matches!(e.status.map(|s| s.as_u16()), Some(401 | 404)) => {
            println!("Logged out (the session had already ended).");
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

/// `sessions revoke-weak`: ends every session that signed in without two-step.
pub async fn revoke_weak(requested: Option<Server>, confirm_current: bool) -> Result<(), String> {
    let saved = saved()?;
    let client = Client::signed_in(&saved, requested.as_ref())?;
    match client.revoke_weak(confirm_current).await {
        Ok(()) => {
            println!("Signed out every session without two-step.");
            if confirm_current {
                // This CLI's session proved the password alone, so it ended too.
                credentials::remove()?;
            }
            Ok(())
        }
        Err(error) if error.code() == ErrorCode::ConfirmationRequired => {
            Err("this CLI's own session is one of them; add --confirm-current to end it too".into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Runs one command line.
pub async fn run(cli: crate::cli::Cli) -> Result<(), String> {
    use crate::cli::{Command, SessionsCommand};
    let requested = server::requested(cli.server)?;
    match cli.command {
        Command::Login => login(requested).await,
        Command::Sessions {
            action: None | Some(SessionsCommand::List),
        } => list(requested).await,
        Command::Sessions {
            action:
                Some(SessionsCommand::Revoke {
                    id,
                    confirm_current,
                }),
        } => revoke(requested, &id, confirm_current).await,
        Command::Sessions {
            action: Some(SessionsCommand::History),
        } => history(requested).await,
        Command::Sessions {
            action: Some(SessionsCommand::RevokeWeak { confirm_current }),
        } => revoke_weak(requested, confirm_current).await,
        Command::Sessions {
            action: Some(SessionsCommand::Rename { id, label }),
        } => rename(requested, &id, &label).await,
        Command::Logout => logout(requested).await,
    }
}
