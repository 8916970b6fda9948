//! Times shown as "5 minutes ago" in a `<time>` carrying the exact RFC 3339 instant, kept current
//! in the browser by a gloo-timers interval.

use crate::sessions::model::Instant;
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

/// "just now", "3 minutes ago", "in 29 days"…
pub fn relative(now: i64, then: i64) -> String {
    let diff = now - then;
    let secs = diff.unsigned_abs();
    if secs < 60 {
        return if diff >= 0 {
            "just now".into()
        } else {
            "in less than a minute".into()
        };
    }
    let (n, unit) = match secs {
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 30 * 86_400 => (s / 86_400, "day"),
        s if s < 365 * 86_400 => (s / (30 * 86_400), "month"),
        s => (s / (365 * 86_400), "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if diff >= 0 {
        format!("{n} {unit}{plural} ago")
    } else {
        format!("in {n} {unit}{plural}")
    }
}

/// A duration in words: "less than a minute", "1 minute", "3 hours", "2 days".
pub fn duration_words(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let (n, unit) = match secs {
        s if s < 60 => return "less than a minute".into(),
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// A live relative time. `base_now` is the server's clock when the data was read; with
/// `active_now`, recent instants read "Active now" (and others `prefix` + "3 minutes ago"). The
/// tooltip is the absolute time, local once hydrated.
#[component]
pub fn RelativeTime(
    at: Instant,
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

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn reads_naturally() {
        assert_eq!(relative(1000, 990), "just now");
        assert_eq!(relative(1000, 1000 - 60), "1 minute ago");
        assert_eq!(relative(1000, 1000 - 7200), "2 hours ago");
        assert_eq!(relative(0, 3 * 86_400), "in 3 days");
        assert_eq!(relative(400 * 86_400, 0), "1 year ago");
    }

    #[test]
    fn durations_read_naturally() {
        use super::duration_words;
        assert_eq!(duration_words(5), "less than a minute");
        assert_eq!(duration_words(120), "2 minutes");
        assert_eq!(duration_words(3_600), "1 hour");
        assert_eq!(duration_words(3 * 86_400 + 5), "3 days");
    }
}
