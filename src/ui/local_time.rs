//! Absolute times: rendered in UTC with a visible "UTC" on the server, then rewritten in the
//! browser's own locale and time zone by the `Clock` island (`islands::clock`; a de-DE browser in
//! Europe/Berlin reads `26.11.2026, 15:04`).

use crate::sessions::model::Timestamp;
use leptos::prelude::*;

pub use active_sessions_api::words::utc_text;

/// An absolute time in a `<time>` element carrying the exact instant, which the clock island
/// localises (`date_only`: the date only, marked `data-date-only`). A plain function: the
/// sessions page renders several per row.
pub fn local_time(at: Timestamp, date_only: bool) -> impl IntoView {
    view! {
        <time datetime=at.rfc3339 data-date-only=date_only.then_some("")>
            {utc_text(at.unix, date_only)}
        </time>
    }
}
