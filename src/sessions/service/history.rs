//! Sessions that ended: "Recently ended" (how, by whom, refused attempts since) and the purge
//! after 30 days. The words the page shows are made in `sessions::presenter`.

use super::EndReason;
use crate::error::AppError;
use crate::platform::ids::UnixTime;
use crate::platform::{db::Db, state::AppState};
use crate::sessions::caller::Caller;
use crate::sessions::model::SessionKind;
use crate::sessions::presenter::rfc3339;
use crate::sessions::repository;
use active_sessions_api::EndedSession;

/// How long "Recently ended" keeps an ended session (then it is purged).
pub const ENDED_KEPT_SECS: i64 = 30 * 24 * 3600;

/// An ended session as the API describes it, with its times as Unix seconds for the page.
#[derive(Debug, Clone)]
pub struct EndedEntry {
    /// The API's view.
    pub api: EndedSession,
    /// When it ended.
    pub ended_at: UnixTime,
    /// The last refused presentation of its token.
    pub last_refused_at: Option<UnixTime>,
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
pub async fn purge_ended(db: &Db, now: UnixTime) -> Result<u64, sqlx::Error> {
    repository::purge_ended(db, now - ENDED_KEPT_SECS).await
}
