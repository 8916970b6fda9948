//! Server functions of the account pages.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the login page may offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageOptions {
    /// One-click demo login (development servers only).
    pub dev_login: bool,
}

/// Options of the login page.
#[server(prefix = "/api/auth", endpoint = "login_options", input = leptos::server_fn::codec::GetUrl)]
pub async fn login_options() -> Result<LoginPageOptions, AppError> {
    let state = use_context::<crate::server::state::AppState>().ok_or(AppError::Internal)?;
    Ok(LoginPageOptions {
        dev_login: state.config.dev_login,
    })
}

/// Changes the password: checks the current one, ends every other session (CLI included) and
/// gives this browser a fresh token (SEC-13). Then shows the page with a confirmation.
#[server(prefix = "/api/auth", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<u64, AppError> {
    use crate::auth::password::check_new_password;
    use crate::server::fn_context::{FnContext, respond};
    respond(async {
        let cx = FnContext::get()?;
        let current = cx.session().await?;
        if new_password != confirm_password {
            return Err(AppError::invalid("The new passwords do not match."));
        }
        check_new_password(&new_password)
            .map_err(|e| AppError::invalid(capitalise(&e.to_string())))?;
        crate::sessions::service::confirm_password(&cx.state, &current, current_password).await?;
        let hash = cx.state.hasher.hash(new_password).await?;
        let now = cx.state.now();
        let ip = cx.ip();
        let before = crate::sessions::repository::list_live(
            &cx.state.db,
            current.user_id,
            now,
            cx.state.config.idle_timeout.as_secs() as i64,
        )
        .await?
        .len() as u64;
        let token = crate::users::repository::change_password(
            &cx.state.db,
            current.user_id,
            &hash,
            (current.session_id, &current.public_id),
            ip.as_deref(),
            now,
        )
        .await?
        .ok_or(AppError::Unauthenticated)?;
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let lifetime = cx.state.config.web_lifetime.as_secs() as i64;
            response.append_header(
                axum::http::header::SET_COOKIE,
                cx.state.cookies.set(&token, lifetime),
            );
        }
        let ended = before.saturating_sub(1);
        leptos_axum::redirect(&format!("/settings/password?changed=1&ended={ended}"));
        Ok(ended)
    })
    .await
}

#[cfg(feature = "ssr")]
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
