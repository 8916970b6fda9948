//! Times shown as "5 minutes ago" in a `<time>` carrying the exact RFC 3339 instant. The server
//! renders the text from its own clock; the `Clock` island (`islands::clock`) keeps it current in
//! the browser from the `data-*` attributes.

use crate::sessions::model::Timestamp;
use leptos::prelude::*;

/// "Active now" is shown for activity at most this old.
pub const ACTIVE_NOW_SECS: i64 = 5 * 60;

pub use active_sessions_api::words::{duration_words, relative};

/// A relative time. `base_now` is the server's clock when the data was read; with `active_now`,
/// recent instants read "Active now" (and others `prefix` + "3 minutes ago"). The tooltip is the
/// absolute time (UTC; local once the clock island ran). `data-rel` carries the prefix.
///
/// A plain function rather than a component: the sessions page renders two per row, on every
/// request, on the server only.
pub fn relative_time(
    at: Timestamp,
    base_now: i64,
    prefix: &'static str,
    active_now: bool,
) -> impl IntoView {
    let unix = at.unix;
    let text = if active_now && (base_now - unix) < ACTIVE_NOW_SECS {
        "Active now".to_owned()
    } else {
        format!("{prefix}{}", relative(base_now, unix))
    };
    view! {
        <time
            datetime=at.rfc3339
            title=crate::ui::local_time::utc_text(unix, false)
            data-now=base_now
            data-rel=prefix
            data-active-now=active_now.then_some("")
        >
            {text}
        </time>
    }
}
