//! Times shown as "5 minutes ago" in a `<time>` carrying the exact RFC 3339 instant, kept current
//! in the browser by a gloo-timers interval.

use crate::sessions::model::Timestamp;
use leptos::prelude::*;

/// "Active now" is shown for activity at most this old.
pub const ACTIVE_NOW_SECS: i64 = 5 * 60;

/// The page's clock: `None` until the browser's ticker first fires, then the browser's time.
#[derive(Clone, Copy)]
pub struct Ticker(pub RwSignal<Option<i64>>);

impl Ticker {
    /// A ticker for this page, updating every 15 seconds in the browser; on the server (and
    /// during hydration) it stays `None`, so both render the server's time and agree.
    pub fn start() -> Self {
        let tick = RwSignal::new(None);
        Effect::new(move |_| {
            #[cfg(feature = "hydrate")]
            {
                let browser_now = || Some((js_sys::Date::now() / 1000.0) as i64);
                let interval = gloo_timers::callback::Interval::new(15_000, move || {
                    tick.set(browser_now());
                });
                let interval = send_wrapper::SendWrapper::new(interval);
                on_cleanup(move || drop(interval.take()));
            }
        });
        Self(tick)
    }
}

pub use active_sessions_api::words::{duration_words, relative};

/// A live relative time. `base_now` is the server's clock when the data was read; with
/// `active_now`, recent instants read "Active now" (and others `prefix` + "3 minutes ago"). The
/// tooltip is the absolute time, local once hydrated.
#[component]
pub fn RelativeTime(
    at: Timestamp,
    base_now: i64,
    #[prop(optional)] active_now: bool,
    #[prop(optional)] prefix: &'static str,
) -> impl IntoView {
    let title = crate::ui::local_time::use_local_text(at.unix, false);
    let ticker = use_context::<Ticker>();
    let unix = at.unix;
    let text = move || {
        let now = ticker
            .and_then(|t| t.0.get())
            .unwrap_or(base_now)
            .max(base_now);
        if active_now && (now - unix) < ACTIVE_NOW_SECS {
            "Active now".to_owned()
        } else {
            format!("{prefix}{}", relative(now, unix))
        }
    };
    view! {
        <time datetime=at.rfc3339 title=title>
            {text}
        </time>
    }
}
