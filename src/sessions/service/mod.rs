//! The only way into the sessions repository: resolving a token to its caller, listing, starting
//! and ending sessions. Every way a session ends — sign-out, revoke, revoke others, password
//! change, the per-user cap, account disabled or deleted, expiry — goes through
//! [`ending::end_in`], which records why and by whom and reports whether the caller's own session
//! was among them.

mod ending;

pub use ending::{EndReason, Ended, EndedBy, end, end_in};

use crate::error::AppError;
use crate::platform::{db::Db, state::AppState};
use crate::sessions::caller::{Caller, Client, Credential};
use crate::sessions::model::{EndedItem, EndedList, SessionKind, SessionList, SessionView};
pub use crate::sessions::repository::EndTarget;
use crate::sessions::repository::{self, CreatedSession, NewSession};
use crate::sessions::token::{SessionToken, is_public_id};
use crate::sessions::view::rfc3339;
use crate::sessions::view::to_view;
use active_sessions_api::EndedSession;
use sqlx::{Any, Transaction};
use std::net::IpAddr;

/// `last_seen_at` is written at most this often per session.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

/// Resolves a presented token to its caller. Order of checks: token shape (no lookup for
/// garbage, SEC-05) → lookup by SHA-256 (SEC-02, SEC-06) → not revoked, owner not disabled
/// (SEC-12, SEC-14) → absolute and idle expiry (SEC-10; the session is then ended so its history
/// says why) → `last_seen_at` bumped at most once a minute, never on a revoked row (SEC-21).
/// Nothing is cached between requests, so a revocation is seen by every instance at once.
pub async fn authenticate(
    state: &AppState,
    raw_token: &str,
    credential: Credential,
    ip: Option<IpAddr>,
) -> Result<Caller, AppError> {
    let token = SessionToken::parse(raw_token).ok_or(AppError::Unauthenticated)?;
    let hash = token.hash();
    let row = repository::find_by_token(&state.db, &hash)
        .await?
        .filter(|row| hash.matches(&row.token_hash))
        .ok_or(AppError::Unauthenticated)?;
    let now = state.now();
    if row.revoked_at.is_some() {
        // An ended session's token presented again: refused, and counted for "Recently ended".
        if let Err(e) = repository::record_refusal(&state.db, row.id, now).await {
            tracing::warn!(error = %e, "could not count a refused token");
        }
        return Err(AppError::Unauthenticated);
    }
    if now >= row.expires_at || now - row.last_seen_at >= state.idle_secs() {
        let reason = if now >= row.expires_at {
            EndReason::Expired
        } else {
            EndReason::Idle
        };
        if let Err(e) = end(
            state,
            row.user_id,
            EndTarget::Id(row.id),
            reason,
            EndedBy::System,
        )
        .await
        {
            tracing::warn!(error = %e, "could not record the end of an expired session");
        }
        return Err(AppError::Unauthenticated);
    }
    if now - row.last_seen_at >= TOUCH_INTERVAL_SECS {
        let address = crate::sessions::caller::ip_text(ip);
        repository::touch(&state.db, row.id, now, address.as_deref()).await?;
    }
    Ok(Caller {
        session_id: row.id,
        public_id: row.public_id,
        user_id: row.user_id,
        kind: row.kind,
        authenticated_at: row.authenticated_at,
        credential,
        ip,
        device_id: row.device_id,
    })
}

/// A session to start.
#[derive(Debug)]
pub struct Start<'a> {
    /// The account.
    pub user_id: i64,
    /// Browser or CLI.
    pub kind: SessionKind,
    /// `password`, `dev` or `cli`.
    pub sign_in_method: &'a str,
    /// Where the sign-in came from.
    pub client: &'a Client,
    /// When the password was last proven (`None`: now).
    pub authenticated_at: Option<i64>,
    /// The browser (device cookie record) it starts from; `None` for CLI sessions.
    pub device_id: Option<i64>,
}

/// Creates a session inside `tx` and applies the per-user cap (SEC-15), all in the caller's
/// transaction (SEC-36).
pub async fn start_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    start: Start<'_>,
) -> Result<CreatedSession, sqlx::Error> {
    let now = state.now();
    let lifetime = match start.kind {
        SessionKind::Web => state.config.web_lifetime,
        SessionKind::Cli => state.config.cli_lifetime,
    };
    let ip = start.client.ip_text();
    let created = repository::create_in(
        tx,
        NewSession {
            user_id: start.user_id,
            kind: start.kind,
            sign_in_method: start.sign_in_method,
            user_agent: start.client.user_agent.as_deref(),
            ip: ip.as_deref(),
            lifetime_secs: lifetime.as_secs() as i64,
            authenticated_at: start.authenticated_at,
            device_id: start.device_id,
        },
        now,
    )
    .await?;
    let cap = EndTarget::BeyondNewest(state.config.max_sessions_per_user);
    let _ = end_in(
        tx,
        start.user_id,
        cap,
        EndReason::Evicted,
        EndedBy::System,
        now,
    )
    .await?;
    Ok(created)
}

/// Starts a browser session; a session the browser already had (`previous`) is ended in the same
/// transaction: a login never adopts or keeps a client-held token (SEC-04).
pub async fn sign_in(
    state: &AppState,
    start: Start<'_>,
    previous: Option<&Caller>,
) -> Result<CreatedSession, AppError> {
    let mut tx = state.db.begin_write().await?;
    let created = sign_in_in(&mut tx, state, start, previous).await?;
    crate::platform::failpoint::hit("sign_in_before_commit");
    tx.commit().await?;
    Ok(created)
}

/// [`sign_in`] inside the caller's transaction (a login also queues its alert in it).
pub async fn sign_in_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    start: Start<'_>,
    previous: Option<&Caller>,
) -> Result<CreatedSession, sqlx::Error> {
    if let Some(previous) = previous {
        let target = EndTarget::Public(&previous.public_id);
        let by = EndedBy::Caller(previous);
        let _ = end_in(
            tx,
            previous.user_id,
            target,
            EndReason::ReplacedByLogin,
            by,
            state.now(),
        )
        .await?;
    }
    start_in(tx, state, start).await
}

/// The caller's live sessions: this device first, then the most recently active.
pub async fn list(state: &AppState, caller: &Caller) -> Result<SessionList, AppError> {
    list_marking_new(state, caller, None).await
}

/// [`list`], with sessions whose id is above `seen` (and that are not this device) marked new.
async fn list_marking_new(
    state: &AppState,
    caller: &Caller,
    seen: Option<i64>,
) -> Result<SessionList, AppError> {
    let now = state.now();
    let idle = state.idle_secs();
    let rows = repository::list_live(&state.db, caller.user_id, now, idle).await?;
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
        now,
        reauth_required: needs_reauth(state, caller),
        idle_timeout_secs: idle,
        max_sessions: state.config.max_sessions_per_user,
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
/// marked new (this device never is). Per account, so every browser agrees; a visit counts only
/// from a session that existed at the last counted visit (`repository::mark_page_seen`).
pub async fn list_for_page(
    state: &AppState,
    caller: &Caller,
    visit: Visit,
) -> Result<SessionList, AppError> {
    let seen = match visit {
        Visit::Open => {
            let (user, viewer) = (caller.user_id, caller.session_id);
            repository::mark_page_seen(&state.db, user, viewer, state.now()).await?
        }
        Visit::Peek => repository::page_seen(&state.db, caller.user_id).await?,
        Visit::Reload => repository::page_seen_before(&state.db, caller.user_id).await?,
    };
    list_marking_new(state, caller, seen).await
}

/// What the "This wasn't me" page may show about a session, live or ended: its name, where and
/// when it signed in, and when it ended.
#[derive(Debug, Clone)]
pub struct SessionFacts {
    /// "Firefox 132 on Ubuntu".
    pub name: String,
    /// Sign-in address.
    pub ip: Option<String>,
    /// Country of that address, when public and known.
    pub country: Option<String>,
    /// Sign-in time.
    pub created_at: i64,
    /// When it ended, if it has.
    pub ended_at: Option<i64>,
    /// The browser it was started from, if any.
    pub device: Option<DeviceState>,
}

/// A browser (device record) as the not-me page needs it.
#[derive(Debug, Clone, Copy)]
pub struct DeviceState {
    /// Its id.
    pub id: i64,
    /// Whether it has been revoked (forgotten).
    pub revoked: bool,
}

/// [`SessionFacts`] of the session with internal id `session_id`.
pub async fn facts(db: &Db, session_id: i64) -> Result<Option<SessionFacts>, sqlx::Error> {
    let Some((row, revoked_at)) = repository::find_any(db, session_id).await? else {
        return Ok(None);
    };
    let device = match row.device_id {
        Some(id) => repository::device_revoked(db, id)
            .await?
            .map(|revoked| DeviceState { id, revoked }),
        None => None,
    };
    let described = crate::sessions::client_info::describe(row.user_agent.as_deref(), row.kind);
    Ok(Some(SessionFacts {
        name: described.name,
        country: row
            .ip
            .as_deref()
            .and_then(crate::sessions::client_info::country_of)
            .map(|c| c.name),
        ip: row.ip,
        created_at: row.created_at,
        ended_at: revoked_at,
        device,
    }))
}

/// Whether the account signed in before this session (its very first sign-in sends no alert);
/// read from the audit trail, so purging old ended sessions does not make a sign-in "first".
pub async fn signed_in_before_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    session: &CreatedSession,
) -> Result<bool, sqlx::Error> {
    repository::signed_in_before_in(tx, user_id, &session.public_id).await
}

/// One live session of the caller by public id; malformed, unknown and foreign ids alike are
/// `NotFound` (SEC-18, SEC-22).
pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> Result<SessionView, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let idle = state.idle_secs();
    let row = repository::find_live(&state.db, caller.user_id, id, state.now(), idle)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_view(row, caller, idle))
}

/// Names (or with a blank `label`, un-names) the caller's live session `id`; its detail after.
/// Unknown, foreign, ended and malformed ids are `NotFound` (SEC-18); a refused name is
/// `InvalidInput` and changes nothing.
pub async fn rename(
    state: &AppState,
    caller: &Caller,
    id: &str,
    label: Option<&str>,
) -> Result<SessionView, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let label = crate::sessions::label::clean(label).map_err(AppError::invalid)?;
    let (now, idle) = (state.now(), state.idle_secs());
    if !repository::set_label(&state.db, caller.user_id, id, label.as_deref(), now, idle).await? {
        return Err(AppError::NotFound);
    }
    detail(state, caller, id).await
}

/// Sessions unused this long count as stale ("Sign out unused sessions"), as the rows say.
pub use crate::sessions::components::row::STALE_AFTER_SECS as UNUSED_AFTER_SECS;

/// "Sign out unused sessions": ends the caller's other sessions unused for 30 days or more (never
/// this device).
pub async fn sign_out_unused(state: &AppState, caller: &Caller) -> Result<Ended, AppError> {
    let now = state.now();
    let target = EndTarget::UnusedSince {
        before: now - UNUSED_AFTER_SECS + 1,
        live_after: now - state.idle_secs(),
        except: caller.session_id,
    };
    end(
        state,
        caller.user_id,
        target,
        EndReason::Unused,
        EndedBy::Caller(caller),
    )
    .await
}

/// How long "Recently ended" keeps an ended session (then it is purged).
pub const ENDED_KEPT_SECS: i64 = 30 * 24 * 3600;

/// An ended session as the API describes it, with its times as Unix seconds for the page.
#[derive(Debug, Clone)]
pub struct EndedEntry {
    /// The API's view.
    pub api: EndedSession,
    /// When it ended.
    pub ended_at: i64,
    /// The last refused presentation of its token.
    pub last_refused_at: Option<i64>,
}

/// The caller's sessions that ended in the last 30 days, newest first, with how and by whom.
pub async fn ended(state: &AppState, caller: &Caller) -> Result<Vec<EndedEntry>, AppError> {
    let now = state.now();
    let rows = repository::list_ended(&state.db, caller.user_id, now - ENDED_KEPT_SECS).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let (ended_at, last_refused_at) = (row.revoked_at, row.last_refused_at);
            ended_view(row).map(|api| EndedEntry {
                api,
                ended_at,
                last_refused_at,
            })
        })
        .collect())
}

/// "Recently ended" as the page shows it: names, how it ended and refused attempts in words.
pub async fn ended_for_page(state: &AppState, caller: &Caller) -> Result<EndedList, AppError> {
    use crate::ui::relative_time::duration_words;
    let items = ended(state, caller)
        .await?
        .into_iter()
        .map(|ended| {
            let api = ended.api;
            let refused = ended.last_refused_at.map(|last| {
                let later = duration_words(last - ended.ended_at);
                match api.refused_after {
                    1 => format!("Tried again {later} later, refused"),
                    n => format!("Tried again {n} times, the last {later} later, all refused"),
                }
            });
            EndedItem {
                id: api.id,
                kind: api.kind,
                title: api.label.clone().unwrap_or_else(|| api.name.clone()),
                name: api.label.is_some().then_some(api.name),
                ended_at: crate::sessions::view::instant(ended.ended_at),
                how: api.ended_reason.describe(api.ended_by.as_deref()),
                refused,
            }
        })
        .collect();
    Ok(EndedList {
        items,
        now: state.now(),
    })
}

fn ended_view(row: repository::EndedRow) -> Option<EndedSession> {
    use crate::sessions::client_info::describe;
    let kind = SessionKind::parse(&row.kind)?;
    let reason = row
        .revoked_reason
        .as_deref()
        .and_then(EndReason::from_stored)?
        .for_api();
    let ended_by = row
        .by_kind
        .as_deref()
        .and_then(SessionKind::parse)
        .map(|kind| {
            row.by_label
                .clone()
                .unwrap_or_else(|| describe(row.by_user_agent.as_deref(), kind).name)
        });
    Some(EndedSession {
        id: row.public_id,
        kind,
        name: describe(row.user_agent.as_deref(), kind).name,
        label: row.label,
        created_at: rfc3339(row.created_at),
        ended_at: rfc3339(row.revoked_at),
        ended_reason: reason,
        ended_by,
        refused_after: row.refused_count.max(0) as u64,
        last_refused_at: row.last_refused_at.map(rfc3339),
    })
}

/// Deletes sessions that ended more than 30 days ago.
pub async fn purge_ended(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    repository::purge_ended(db, now - ENDED_KEPT_SECS).await
}

/// Whether the last password proof of this session is older than the re-auth window (SEC-17).
pub fn needs_reauth(state: &AppState, caller: &Caller) -> bool {
    state.now() - caller.authenticated_at > state.config.reauth_window.as_secs() as i64
}

/// Revokes the caller's session `id`. Unknown, foreign, already revoked and malformed ids all
/// give the same `NotFound` (SEC-18, SEC-22); the caller's own session needs `confirm_current`
/// (SEC-19) and then counts as signing out.
pub async fn revoke(
    state: &AppState,
    caller: &Caller,
    id: &str,
    confirm_current: bool,
) -> Result<Ended, AppError> {
    let reason = revoke_reason(caller, id, confirm_current)?;
    revoke_as(state, caller, id, reason).await
}

/// The rules of a revoke before anything is touched: a malformed id is `NotFound` (SEC-22), the
/// caller's own session needs `confirm_current` (SEC-19) and then counts as signing out.
pub fn revoke_reason(
    caller: &Caller,
    id: &str,
    confirm_current: bool,
) -> Result<EndReason, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    match (id == caller.public_id, confirm_current) {
        (true, false) => Err(AppError::ConfirmationRequired),
        (true, true) => Ok(EndReason::SignedOut),
        (false, _) => Ok(EndReason::Revoked),
    }
}

/// Ends the caller's session `id` for `reason` (`Revoked` or `SignedOut`); unknown, foreign and ended ids are `NotFound`.
async fn revoke_as(
    state: &AppState,
    caller: &Caller,
    id: &str,
    reason: EndReason,
) -> Result<Ended, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let target = EndTarget::Public(id);
    let ended = end(
        state,
        caller.user_id,
        target,
        reason,
        EndedBy::Caller(caller),
    )
    .await?;
    if ended.count == 0 {
        return Err(AppError::NotFound);
    }
    Ok(ended)
}

/// Replaces the token of the caller's session inside `tx` (password change), marking it freshly
/// authenticated. `None` if the session ended meanwhile.
pub async fn rotate_token_in(
    tx: &mut Transaction<'static, Any>,
    caller: &Caller,
    now: i64,
) -> Result<Option<SessionToken>, sqlx::Error> {
    repository::rotate_token_in(tx, caller.session_id, now).await
}

/// When the live session `session_id` last proved the password (`None` if it has ended): what a
/// CLI session approved from it inherits, so it is never fresher than its approver.
pub async fn live_authenticated_at_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    session_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    repository::live_authenticated_at_in(tx, session_id, state.now(), state.idle_secs()).await
}

/// The browser (device record) a session of `user_id` (by internal or public id) was started
/// from, and whether that device is revoked.
pub async fn device_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    session: EndTarget<'_>,
) -> Result<Option<(i64, bool)>, sqlx::Error> {
    repository::device_of_in(tx, user_id, session).await
}

/// Counts a failed re-authentication on the caller's session (the owner's page shows it).
pub async fn record_reauth_failure(state: &AppState, caller: &Caller) -> Result<(), sqlx::Error> {
    repository::record_reauth_failure(&state.db, caller.session_id, state.now()).await
}

/// Records that the caller just proved the password again.
pub async fn mark_authenticated(db: &Db, caller: &Caller, now: i64) -> Result<(), sqlx::Error> {
    repository::mark_authenticated(db, caller.session_id, now).await
}
