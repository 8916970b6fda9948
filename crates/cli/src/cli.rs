//! The command line.

use clap::{Parser, Subcommand};

/// Manage your active-sessions account from a terminal.
#[derive(Debug, Parser)]
#[command(
    name = "active-sessions-cli",
    version,
    after_help = "The server is --server, else $ACTIVE_SESSIONS_URL, else the one you logged in \
                  to, else http://127.0.0.1:3000. Plain http:// is only allowed for localhost, \
                  127.0.0.0/8 and [::1]. The token is stored in $ACTIVE_SESSIONS_CONFIG_DIR \
                  (default: your config directory/active-sessions) and is only ever sent to the \
                  server that issued it."
)]
pub struct Cli {
    /// Server base URL, e.g. https://sessions.example.com
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in: prints a URL and a code to approve in a browser where you are signed in.
    Login,
    /// List (the default), name or revoke your sessions.
    Sessions {
        #[command(subcommand)]
        action: Option<SessionsCommand>,
    },
    /// Revoke this CLI's own session and forget the token.
    Logout,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// A table of your live sessions.
    List,
    /// End one session at once.
    Revoke {
        /// The session's id (first column of `sessions list`; may start with `-`).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// Needed to revoke this CLI's own session (or use `logout`).
        #[arg(long)]
        confirm_current: bool,
    },
    /// Sessions that ended in the last 30 days: when, how, and whether their token came back.
    History,
    /// End every session that signed in without two-step (password only).
    RevokeWeak {
        /// Needed when this CLI's own session is one of them.
        #[arg(long)]
        confirm_current: bool,
    },
    /// Give a session a name you will recognise ("Work laptop"); an empty name removes it.
    Rename {
        /// The session's id (first column of `sessions list`; may start with `-`).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// At most 64 characters.
        #[arg(allow_hyphen_values = true)]
        label: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("active-sessions-cli").chain(args.iter().copied()))
    }

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn server_before_or_after_the_subcommand() {
        for args in [
            &["--server", "https://a.example", "login"][..],
            &["login", "--server", "https://a.example"],
            &["sessions", "--server=https://a.example", "list"],
            &["sessions", "list", "--server", "https://a.example"],
        ] {
            let cli = parse(args).unwrap();
            assert_eq!(cli.server.as_deref(), Some("https://a.example"), "{args:?}");
        }
    }

    #[test]
    fn sessions_alone_lists_and_revoke_takes_an_id() {
        let cli = parse(&["sessions"]).unwrap();
        assert!(matches!(cli.command, Command::Sessions { action: None }));
        let cli = parse(&["sessions", "revoke", "abc", "--confirm-current"]).unwrap();
        let Command::Sessions {
            action:
                Some(SessionsCommand::Revoke {
                    id,
                    confirm_current,
                }),
        } = cli.command
        else {
            panic!("not a revoke: {cli:?}");
        };
        assert_eq!((id.as_str(), confirm_current), ("abc", true));
        assert!(parse(&["sessions", "revoke"]).is_err());
        let cli = parse(&["sessions", "rename", "abc", "Work laptop"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Sessions { action: Some(SessionsCommand::Rename { ref id, ref label }) }
                if id == "abc" && label == "Work laptop"
        ));
        assert!(parse(&["sessions", "rename", "abc"]).is_err());
        assert!(matches!(
            parse(&["sessions", "history"]).unwrap().command,
            Command::Sessions {
                action: Some(SessionsCommand::History)
            }
        ));
        assert!(parse(&[]).is_err());
        assert!(parse(&["bogus"]).is_err());
    }

    /// Ids are base64url: one in 64 starts with `-`, and `sessions list` prints it as it is.
    #[test]
    fn ids_and_names_may_start_with_a_hyphen() {
        let cli = parse(&[
            "sessions",
            "revoke",
            "-908wKiF34Uz6YWzBrBfrA",
            "--confirm-current",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Sessions { action: Some(SessionsCommand::Revoke { ref id, confirm_current: true }) }
                if id == "-908wKiF34Uz6YWzBrBfrA"
        ));
        let cli = parse(&[
            "sessions",
            "rename",
            "-908wKiF34Uz6YWzBrBfrA",
            "-old laptop",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Sessions { action: Some(SessionsCommand::Rename { ref id, ref label }) }
                if id == "-908wKiF34Uz6YWzBrBfrA" && label == "-old laptop"
        ));
    }

    #[test]
    fn revoke_weak_takes_an_optional_confirmation() {
        let cli = parse(&["sessions", "revoke-weak"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Sessions {
                action: Some(SessionsCommand::RevokeWeak {
                    confirm_current: false
                })
            }
        ));
        let cli = parse(&["sessions", "revoke-weak", "--confirm-current"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Sessions {
                action: Some(SessionsCommand::RevokeWeak {
                    confirm_current: true
                })
            }
        ));
    }
}
