//! Server functions behind the sessions page. Thin: take the caller, call one service function,
//! answer. All mutate with POST and pass the cross-site check (SEC-24).

use crate::error::AppError;
use crate::sessions::model::{EndedList, SessionKind, SessionList};
#[cfg(feature = "ssr")]
use crate::sessions::page_query::PageQuery;
use leptos::prelude::*;

/// The caller's live sessions, this device first. `opening` is set when the page is opened
/// (it records the visit that "New" badges count from, only from a same-origin request or a
/// navigation the person started, SEC-42), not when the list reloads.
#[server(prefix = "/api/sessions", endpoint = "list")]
pub async fn list_sessions(#[server(default)] opening: bool) -> Result<SessionList, AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        use crate::factors::service::two_step_on;
        use crate::sessions::service::{Visit, list_for_page};
        let records = use_context::<axum::http::request::Parts>()
            .is_some_and(|parts| crate::server::csrf::may_record_visit(&parts.headers));
        let visit = match (opening, records) {
            (true, true) => Visit::Open,
            (true, false) => Visit::Peek,
            (false, _) => Visit::Reload,
        };
        // One connection for the page's statements (`Db::connection`).
        let mut conn = state.db.connection().await?;
        let mut list = list_for_page(&state, &mut conn, &caller, visit).await?;
        let has_factor = two_step_on(&state, &mut conn, caller.user_id).await?;
        drop(conn);
        list.account_has_factor = has_factor;
        for session in &mut list.sessions {
            session.account_has_factor = has_factor;
        }
        Ok(list)
    })
    .await
}

/// "Recently ended": the caller's sessions that ended in the last 30 days, in words.
#[server(prefix = "/api/sessions", endpoint = "ended")]
pub async fn list_ended_sessions() -> Result<EndedList, AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        let entries = crate::sessions::service::ended(&state, &caller).await?;
        Ok(crate::sessions::presenter::ended_list(entries, state.now()))
    })
    .await
}

/// Revokes one session. `confirm_current` must be set to revoke the session in use, which then
/// signs this browser out and goes to `/login`. `kind` keeps the list's filter afterwards.
/// `not_me` ("Not you?") records that the owner did not recognise it and goes on to the
/// password page.
#[server(prefix = "/api/sessions", endpoint = "revoke")]
pub async fn revoke_session(
    id: String,
    #[server(default)] confirm_current: bool,
    #[server(default)] kind: Option<SessionKind>,
    #[server(default)] not_me: bool,
    #[server(default)] also_approved: bool,
) -> Result<(), AppError> {
    use crate::auth::extract::{signed_out_fn, with_caller};
    use crate::sessions::service;
    with_caller(|state, caller| async move {
        let ended = if not_me && id != caller.public_id {
            crate::auth::service::not_me(&state, &caller, &id).await?
        } else {
            let asked = service::RevokeRequest {
                id: &id,
                confirm_current,
                also_approved,
            };
            service::revoke(&state, &caller, asked).await?
        };
        signed_out_fn(&state, &caller, ended);
        let next = if ended.own_session {
            "/login".to_owned()
        } else if not_me {
            "/settings/password?not_me=1".to_owned()
        } else {
            PageQuery::filtered(kind).url()
        };
        leptos_axum::redirect(&next);
        Ok(())
    })
    .await
}

/// Names a session from the page's inline form (`label`; blank removes the name), then back to
/// the list with its filter.
#[server(prefix = "/api/sessions", endpoint = "rename")]
pub async fn rename_session(
    id: String,
    #[server(default)] label: String,
    #[server(default)] kind: Option<SessionKind>,
) -> Result<(), AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        crate::sessions::service::rename(&state, &caller, &id, Some(&label)).await?;
        leptos_axum::redirect(&PageQuery::filtered(kind).url());
        Ok(())
    })
    .await
}

/// Signs out every other session; asks for the password again when the last sign-in here is
/// older than the re-auth window, and for a code from the authenticator app when the account has
/// one (step-up).
#[server(prefix = "/api/sessions", endpoint = "revoke_others")]
pub async fn revoke_other_sessions(
    #[server(default)] password: String,
    #[server(default)] code: Option<String>,
) -> Result<u64, AppError> {
    use crate::auth::{extract::with_caller, service};
    with_caller(|state, caller| async move {
        let proofs = service::Reauth {
            password: Some(password),
            code,
        };
        let ended = service::sign_out_others(&state, &caller, proofs).await?;
        leptos_axum::redirect(&signed_out_url(None, ended.count));
        Ok(ended.count)
    })
    .await
}

/// "Sign out unused sessions": ends every other session unused for 30 days or more.
#[server(prefix = "/api/sessions", endpoint = "sign_out_unused")]
pub async fn sign_out_unused_sessions(
    #[server(default)] kind: Option<SessionKind>,
) -> Result<u64, AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        let ended = crate::sessions::service::sign_out_unused(&state, &caller).await?;
        leptos_axum::redirect(&signed_out_url(kind, ended.count));
        Ok(ended.count)
    })
    .await
}

/// "Sign out sessions without two-step": ends every session that proved the password alone;
/// this one too with `confirm_current` (then this browser goes to `/login`).
#[server(prefix = "/api/sessions", endpoint = "sign_out_weak")]
pub async fn sign_out_weak_sessions(
    #[server(default)] confirm_current: bool,
    #[server(default)] kind: Option<SessionKind>,
) -> Result<u64, AppError> {
    use crate::auth::extract::{signed_out_fn, with_caller};
    with_caller(|state, caller| async move {
        let confirm = confirm_current;
        let ended =
            crate::factors::service::sign_out_without_two_step(&state, &caller, confirm).await?;
        signed_out_fn(&state, &caller, ended);
        let next = if ended.own_session {
            "/login".to_owned()
        } else {
            signed_out_url(kind, ended.count)
        };
        leptos_axum::redirect(&next);
        Ok(ended.count)
    })
    .await
}

/// The list (with `kind`'s filter) saying "Signed out `count` other sessions".
#[cfg(feature = "ssr")]
fn signed_out_url(kind: Option<SessionKind>, count: u64) -> String {
    PageQuery {
        signed_out: Some(count),
        ..PageQuery::filtered(kind)
    }
    .url()
}
