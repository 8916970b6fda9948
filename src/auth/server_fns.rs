//! Server functions of the account pages.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the login page may offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageOptions {
    /// One-click demo login (development servers only).
    pub dev_login: bool,
    /// "Sign in with a passkey" is offered (the server's `PUBLIC_URL` names it by a domain).
    #[serde(default)]
    pub passkeys: bool,
    /// How to create the first account; only while the database has none at all.
    pub first_account: Option<FirstAccount>,
    /// What can finish the browser's pending sign-in (its password proved right), read from the
    /// pending cookie; `None` without one.
    #[serde(default)]
    pub second_step: Option<SecondStepOptions>,
}

/// What the second step of a pending sign-in offers, from the account's factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStepOptions {
    /// A code from the authenticator app.
    pub app: bool,
    /// One of the account's passkeys (on a server that offers them).
    pub passkey: bool,
    /// A recovery code (one is left).
    pub recovery_code: bool,
}

/// The command that creates the first account, for a server with no account yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstAccount {
    /// `printf … | target/debug/active-sessions user add you@example.com`, naming the running
    /// server's binary.
    pub command: String,
    /// The command needs the server's `DATABASE_URL` (not the default; never shown).
    pub needs_database_url: bool,
}

/// Options of the login page.
#[server(prefix = "/api/auth", endpoint = "login_options", input = leptos::server_fn::codec::GetUrl)]
pub async fn login_options() -> Result<LoginPageOptions, AppError> {
    use crate::users::command;
    let state = crate::auth::extract::state().inspect_err(AppError::log)?;
    // This tells anyone that no account exists yet, which is harmless only when there are none
    // at all: then there is no account to guess a password for and no email to confirm. Once any
    // account exists (a disabled one too) this is `None` and the page shows nothing more than it
    // always did. Nothing here creates an account; that takes a shell on the server. A database
    // that cannot answer counts as having accounts (the sign-in then says it is unavailable).
    let none_yet = !crate::users::service::any_account(&state.db)
        .await
        .unwrap_or(true);
    let second_step = second_step_options(&state).await;
    Ok(LoginPageOptions {
        second_step,
        dev_login: state.config.dev_login,
        passkeys: state.webauthn.is_some(),
        first_account: none_yet.then(|| FirstAccount {
            command: command::add_command(),
            needs_database_url: command::add_command_needs_database_url(&state.config),
        }),
    })
}

/// The second step the browser's pending sign-in may finish with (none without a live one).
#[cfg(feature = "ssr")]
async fn second_step_options(
    state: &crate::platform::state::AppState,
) -> Option<SecondStepOptions> {
    use crate::auth::cookie::{pending_name, read_named};
    use crate::factors::service as factors;
    let parts = use_context::<axum::http::request::Parts>()?;
    let raw = read_named(&parts.headers, pending_name(&state.config))?;
    let token = crate::sessions::token::SessionToken::parse(raw)?;
    let pending = factors::find_pending(state, &token).await.ok()??;
    // The same offer as the 401 `second_step_required` names to JSON clients.
    let methods = factors::factors_of(state, pending.user_id)
        .await
        .ok()?
        .methods(state.webauthn.is_some());
    Some(SecondStepOptions {
        app: methods.contains(&"totp"),
        passkey: methods.contains(&"webauthn"),
        recovery_code: methods.contains(&"recovery_code"),
    })
}

/// Changes the password: checks the current one (and `code` from the authenticator app when the
/// account has one), ends every other session (CLI included) and
/// gives this browser a fresh token (SEC-13). Then shows the page with a confirmation.
#[server(prefix = "/api/auth", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    #[server(default)] code: Option<String>,
) -> Result<u64, AppError> {
    use crate::auth::{cookie::signed_in_header, extract::with_caller, service};
    with_caller(|state, caller| async move {
        let change = service::PasswordChange {
            current: current_password,
            new: new_password,
            confirm: confirm_password,
            code,
        };
        let changed = service::change_password(&state, &caller, change).await?;
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie = signed_in_header(&state.config, &changed.token);
            response.append_header(axum::http::header::SET_COOKIE, cookie);
        }
        let ended = changed.ended.to_string();
        let url = crate::platform::url::with_query(
            "/settings/password",
            &[("changed", Some("1")), ("ended", Some(&ended))],
        );
        leptos_axum::redirect(&url);
        Ok(changed.ended)
    })
    .await
}
