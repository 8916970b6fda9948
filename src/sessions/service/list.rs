//! Reading the caller's live sessions: the list (with "New" badges and where each CLI session
//! came from), one session's detail.

use super::reauth::needs_reauth;
use crate::error::AppError;
use crate::platform::ids::SessionId;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::model::{SessionKind, SessionList, SessionView};
use crate::sessions::presenter::to_view;
use crate::sessions::repository;
use crate::sessions::token::is_public_id;
use sqlx::AnyConnection;

/// The caller's live sessions: this device first, then the most recently active.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn list(state: &AppState, caller: &Caller) -> Result<SessionList, AppError> {
    list_marking_new(state, &mut *state.db.connection().await?, caller, None).await
}

/// [`list`] on `conn`, with sessions whose id is above `seen` (and that are not this device)
/// marked new.
async fn list_marking_new(
    state: &AppState,
    conn: &mut AnyConnection,
    caller: &Caller,
    seen: Option<SessionId>,
) -> Result<SessionList, AppError> {
    let live = super::live_now(state);
    let (now, idle) = (live.now, live.idle_secs);
    let rows = repository::list_live_in(conn, caller.user_id, live).await?;
    let mut sessions: Vec<SessionView> = rows
        .into_iter()
        .map(|r| {
            let is_new = seen.is_some_and(|seen| r.id > seen);
            let mut view = to_view(r, caller, idle);
            view.is_new = is_new && !view.is_current;
            view
        })
        .collect();
    // Stable: keeps the database's recency order for the rest.
    sessions.sort_by_key(|s| !s.is_current);
    Ok(SessionList {
        sessions,
        now: now.0,
        reauth_required: needs_reauth(state, caller),
        passkey_required: super::needs_passkey(state, caller),
        idle_timeout_secs: idle,
        max_sessions: state.config.max_sessions_per_user,
        account_has_factor: false,
    })
}

/// How the page's list was asked for, which decides what the visit records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit {
    /// The page was opened by the person (same-origin or typed): the visit is recorded.
    Open,
    /// The page was opened by a request that may not record a visit (a cross-site link, a
    /// client without fetch metadata): it shows the badges and records nothing (SEC-42).
    Peek,
    /// The list reloads during a visit (after an action): the same badges as when it opened.
    Reload,
}

/// The list as the page shows it: sessions signed in since the account's last counted visit are
/// marked new (this device never is), and each CLI session says which session approved it. Per account, so every browser agrees; a visit counts only
/// from a session that existed at the last counted visit (`repository::mark_page_seen_in`).
/// Every statement runs on `conn`, the page's one connection (`Db::connection`).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn list_for_page(
    state: &AppState,
    conn: &mut AnyConnection,
    caller: &Caller,
    visit: Visit,
) -> Result<SessionList, AppError> {
    let user = caller.user_id;
    let seen = match visit {
        Visit::Open => {
            let (db, viewer) = (&state.db, caller.session_id);
            repository::mark_page_seen_in(db, conn, user, viewer, state.now()).await?
        }
        Visit::Peek => repository::page_seen_in(conn, user).await?,
        Visit::Reload => repository::page_seen_before_in(conn, user).await?,
    };
    let mut list = list_marking_new(state, conn, caller, seen).await?;
    mark_approvals(conn, caller, &mut list).await?;
    Ok(list)
}

/// One live session of the caller by public id; malformed, unknown and foreign ids alike are
/// `NotFound` (SEC-18, SEC-22).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> Result<SessionView, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let live = super::live_now(state);
    let row = repository::find_live(&state.db, caller.user_id, id, live)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_view(row, caller, live.idle_secs))
}

/// Marks on the caller's session list where each CLI session came from ("Approved from Firefox
/// 132 on Ubuntu, …") and which CLI sessions each session approved.
async fn mark_approvals(
    conn: &mut AnyConnection,
    caller: &Caller,
    list: &mut SessionList,
) -> Result<(), AppError> {
    let approvals = repository::approvals_in(conn, caller.user_id).await?;
    for approval in approvals {
        let name = match approval.approver_label {
            Some(label) => label,
            None => {
                let kind = SessionKind::parse(&approval.approver_kind).unwrap_or(SessionKind::Web);
                crate::sessions::client_info::describe(
                    approval.approver_user_agent.as_deref(),
                    kind,
                )
                .name
            }
        };
        for session in &mut list.sessions {
            if session.id == approval.cli_public_id {
                session.approved_from = Some(name.clone());
                session.approved_at =
                    Some(crate::sessions::presenter::timestamp(approval.approved_at));
            } else if session.id == approval.approver_public_id {
                session.approved_cli.push(approval.cli_public_id.clone());
            }
        }
    }
    Ok(())
}
