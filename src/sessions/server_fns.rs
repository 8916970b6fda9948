//! Server functions behind the sessions page. Thin: resolve the caller, call the service, map the
//! error. All mutate with POST and pass the cross-site check (SEC-24).

use crate::error::AppError;
use crate::sessions::model::SessionList;
use leptos::prelude::*;

/// The caller's live sessions, this device first.
#[server(prefix = "/api/sessions", endpoint = "list")]
pub async fn list_sessions() -> Result<SessionList, AppError> {
    use crate::server::fn_context::{FnContext, respond};
    respond(async {
        let cx = FnContext::get()?;
        let current = cx.session().await?;
        crate::sessions::service::list(&cx.state, &current).await
    })
    .await
}

/// Revokes one session. `confirm_current` must be set to revoke the session in use, which then
/// signs this browser out and goes to `/login`. `kind` keeps the list's filter afterwards.
#[server(prefix = "/api/sessions", endpoint = "revoke")]
pub async fn revoke_session(
    id: String,
    #[server(default)] confirm_current: bool,
    #[server(default)] kind: Option<String>,
) -> Result<(), AppError> {
    use crate::server::fn_context::{FnContext, respond};
    use crate::sessions::service::{self, Revoked};
    respond(async {
        let cx = FnContext::get()?;
        let current = cx.session().await?;
        match service::revoke(
            &cx.state,
            &current,
            &id,
            confirm_current,
            cx.ip().as_deref(),
        )
        .await?
        {
            Revoked::Current => {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response
                        .append_header(axum::http::header::SET_COOKIE, cx.state.cookies.clear());
                }
                leptos_axum::redirect("/login");
            }
            Revoked::Other => leptos_axum::redirect(&list_url(kind.as_deref(), None)),
        }
        Ok(())
    })
    .await
}

/// Signs out every other session; asks for the password again when the last sign-in here is
/// older than the re-auth window.
#[server(prefix = "/api/sessions", endpoint = "revoke_others")]
pub async fn revoke_other_sessions(#[server(default)] password: String) -> Result<u64, AppError> {
    use crate::server::fn_context::{FnContext, respond};
    respond(async {
        let cx = FnContext::get()?;
        let current = cx.session().await?;
        let ended = crate::sessions::service::revoke_others(
            &cx.state,
            &current,
            Some(password),
            cx.ip().as_deref(),
        )
        .await?;
        leptos_axum::redirect(&list_url(None, Some(ended)));
        Ok(ended)
    })
    .await
}

/// The list's URL with an optional kind filter and "signed out N others" notice.
pub fn list_url(kind: Option<&str>, signed_out: Option<u64>) -> String {
    let mut url = String::from("/settings/sessions");
    let mut sep = '?';
    if let Some(kind @ ("web" | "cli")) = kind {
        url.push_str(&format!("{sep}kind={kind}"));
        sep = '&';
    }
    if let Some(n) = signed_out {
        url.push_str(&format!("{sep}signed_out={n}"));
    }
    url
}
