//! The presenter: turns stored rows into what the page and the API show (`SessionView`,
//! the API types, the words of "Recently ended").

use crate::platform::ids::UnixTime;
use crate::sessions::caller::Caller;
use crate::sessions::client_info::{country_of, describe};
use crate::sessions::label::skeleton;
use crate::sessions::model::{
    EndedItem, EndedList, SessionDetail, SessionSummary, SessionView, Timestamp,
};
use crate::sessions::repository::SessionRow;
use crate::sessions::service::EndedEntry;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// RFC 3339 (UTC) text of a Unix time.
pub fn rfc3339(at: UnixTime) -> String {
    OffsetDateTime::from_unix_timestamp(at.0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// An [`Timestamp`] for a Unix time.
pub fn timestamp(at: UnixTime) -> Timestamp {
    Timestamp {
        unix: at.0,
        rfc3339: rfc3339(at),
    }
}

/// When a session's token stops being accepted: the earlier of its absolute expiry and the idle
/// limit counted from its last use.
pub fn effective_expiry(row: &SessionRow, idle_secs: i64) -> UnixTime {
    row.expires_at.min(row.last_seen_at + idle_secs)
}

/// The view of one row, as seen by `caller`.
pub fn to_view(row: SessionRow, caller: &Caller, idle_secs: i64) -> SessionView {
    let described = describe(row.user_agent.as_deref(), row.kind);
    let expires = effective_expiry(&row, idle_secs);
    let look_alike_key = skeleton(row.label.as_deref().unwrap_or(&described.name));
    SessionView {
        is_current: row.id == caller.session_id,
        same_browser: row.id != caller.session_id
            && row.device_id.is_some()
            && row.device_id == caller.device_id,
        reauth_failures: row.reauth_failures.max(0) as u64,
        kind: row.kind,
        device: described.device,
        name: described.name,
        client: described.client,
        country: row.ip.as_deref().and_then(country_of),
        mfa_factors: serde_json::from_str(&row.mfa_factors).unwrap_or_default(),
        mfa_updated_at: row.mfa_updated_at.map(timestamp),
        assurance_level: u8::try_from(row.assurance_level).unwrap_or(1),
        account_has_factor: false,
        created_at: timestamp(row.created_at),
        last_active_at: timestamp(row.last_seen_at),
        expires_at: timestamp(expires),
        id: row.public_id,
        user_agent: row.user_agent,
        sign_in_method: row.sign_in_method,
        ip: row.ip,
        last_ip: row.last_ip,
        label: row.label,
        look_alike_key,
        is_new: false,
        lifetime_ends_at: timestamp(row.expires_at),
        approved_from: None,
        approved_at: None,
        approved_cli: Vec::new(),
    }
}

impl From<SessionView> for SessionSummary {
    fn from(s: SessionView) -> Self {
        Self {
            id: s.id,
            created_at: s.created_at.rfc3339,
            expires_at: s.expires_at.rfc3339,
            is_current: s.is_current,
            kind: s.kind,
            user_agent: s.user_agent,
        }
    }
}

impl From<SessionView> for SessionDetail {
    fn from(s: SessionView) -> Self {
        Self {
            id: s.id,
            created_at: s.created_at.rfc3339,
            expires_at: s.expires_at.rfc3339,
            last_active_at: s.last_active_at.rfc3339,
            is_current: s.is_current,
            kind: s.kind,
            user_agent: s.user_agent,
            name: s.name,
            device_type: s.device,
            client: s.client,
            ip: s.ip,
            country: s.country,
            sign_in_method: s.sign_in_method,
            mfa_factors: s.mfa_factors,
            mfa_updated_at: s.mfa_updated_at.map(|at| at.rfc3339),
            label: s.label,
            same_browser: s.same_browser,
            reauth_failures: s.reauth_failures,
        }
    }
}

/// "Recently ended" as the page shows it: names, how each ended and refused attempts in words,
/// from the service's entries and the server's clock.
pub fn ended_list(entries: Vec<EndedEntry>, now: UnixTime) -> EndedList {
    use crate::ui::relative_time::duration_words;
    let items = entries
        .into_iter()
        .map(|ended| {
            let api = ended.api;
            let refused = ended.last_refused_at.map(|last| {
                let later = duration_words(last.secs_since(ended.ended_at));
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
                ended_at: timestamp(ended.ended_at),
                how: api.ended_reason.describe(api.ended_by.as_deref()),
                refused,
            }
        })
        .collect();
    EndedList { items, now: now.0 }
}
