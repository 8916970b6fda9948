//! `active-sessions-cli`: sign in from a terminal (approved in the browser), list and revoke
//! sessions, sign out. Talks to the JSON API with a bearer token kept in the user's config
//! directory (file mode 0600).

mod credentials;
mod http;

use std::process::ExitCode;

const HELP: &str = "active-sessions-cli — manage your active-sessions account from a terminal\n\n\
usage: active-sessions-cli [--server URL] login\n       \
active-sessions-cli sessions list\n       \
active-sessions-cli sessions revoke ID [--confirm-current]\n       \
active-sessions-cli logout\n\n\
The server is --server, else $ACTIVE_SESSIONS_URL, else the one you logged in to, else \
http://127.0.0.1:3000. The token is stored in $ACTIVE_SESSIONS_CONFIG_DIR (default: your config \
directory/active-sessions).";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let server = take_option(&mut args, "--server");
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["login"] => http::login(server).await,
        ["sessions", "list"] | ["sessions"] => http::list(server).await,
        ["sessions", "revoke", id] => http::revoke(server, id, false).await,
        ["sessions", "revoke", id, "--confirm-current"] => http::revoke(server, id, true).await,
        ["logout"] => http::logout(server).await,
        ["-h" | "--help" | "help"] => {
            println!("{HELP}");
            Ok(())
        }
        _ => Err(format!("unknown command\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("active-sessions-cli: {message}");
            ExitCode::FAILURE
        }
    }
}

fn take_option(args: &mut Vec<String>, name: &str) -> Option<String> {
    let at = args.iter().position(|a| a == name)?;
    args.remove(at);
    (at < args.len()).then(|| args.remove(at))
}
