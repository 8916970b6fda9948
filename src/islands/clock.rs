//! The `Clock` island: one timer that keeps every `<time>` on the page live, instead of a
//! component per time. The server renders the text (UTC and the server's "3 minutes ago") and
//! the instants in `data-*` attributes (`ui::relative_time`, `ui::local_time`); this rewrites them
//! in the browser's time zone and clock.

use leptos::prelude::*;

/// How often relative times move on.
#[cfg(feature = "hydrate")]
const TICK_MS: u32 = 15_000;

/// Refreshes every time on the page right after hydration and then every 15 seconds. Renders
/// nothing.
///
/// The first refresh is a task of its own (a zero timeout), not part of hydration: the page's
/// forms and dialogs (`PageEnhancer`) and `data-hydrated` do not wait for a hundred times to be
/// localised, which took 20-45 ms of the loader's task unthrottled and 90-145 ms at 4x CPU
/// (BENCHMARKS.md, "Islands"). Until it runs, the times read as the server wrote them (UTC).
#[island]
pub fn Clock() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        gloo_timers::callback::Timeout::new(0, refresh).forget();
        gloo_timers::callback::Interval::new(TICK_MS, refresh).forget();
    }
}

/// Rewrites every `time[datetime]` on the page (the instant read back with `Date.parse`): one
/// with `data-rel` (its value is the prefix) gets "Active now" (with `data-active-now`) or "Last
/// active 3 minutes ago" from the browser's clock, never earlier than the server's `data-now`,
/// and the local absolute time as its tooltip; any other gets the local absolute time as its text
/// (`data-date-only`: the date). Also called after `PageEnhancer` swaps the page's content.
#[cfg(feature = "hydrate")]
pub fn refresh() {
    use crate::ui::relative_time::{ACTIVE_NOW_SECS, relative};
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(times) = doc.query_selector_all("time[datetime]") else {
        return;
    };
    let browser_now = (js_sys::Date::now() / 1000.0) as i64;
    // A page shows most instants more than once (a row's sign-in time in its line and in its
    // details): each is formatted once per refresh.
    let mut formatted: Vec<((i64, bool), Option<String>)> = Vec::new();
    let mut local = |unix: i64, date_only: bool| {
        if let Some((_, text)) = formatted.iter().find(|(key, _)| *key == (unix, date_only)) {
            return text.clone();
        }
        let text = local_text(unix, date_only);
        formatted.push(((unix, date_only), text.clone()));
        text
    };
    let number = |el: &web_sys::Element, name| el.get_attribute(name)?.parse::<i64>().ok();
    for i in 0..times.length() {
        let Some(el) = times
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let millis = js_sys::Date::parse(&el.get_attribute("datetime").unwrap_or_default());
        if millis.is_nan() {
            continue;
        }
        let unix = (millis / 1000.0) as i64;
        if let Some(prefix) = el.get_attribute("data-rel") {
            let now = browser_now.max(number(&el, "data-now").unwrap_or(browser_now));
            let text = if el.has_attribute("data-active-now") && now - unix < ACTIVE_NOW_SECS {
                "Active now".to_owned()
            } else {
                prefix + &relative(now, unix)
            };
            el.set_text_content(Some(&text));
            if let Some(local) = local(unix, false) {
                let _ = el.set_attribute("title", &local);
            }
        } else if let Some(local) = local(unix, el.has_attribute("data-date-only")) {
            el.set_text_content(Some(&local));
        }
    }
}

/// The browser's rendering of `unix` (medium date, short time) in its locale and time zone.
///
/// One `Intl.DateTimeFormat` per style, built on first use, and its bound `format` reused: a page
/// of 20 sessions shows over a hundred times, and building a formatter each time cost more than
/// formatting (BENCHMARKS.md).
#[cfg(feature = "hydrate")]
fn local_text(unix: i64, date_only: bool) -> Option<String> {
    use wasm_bindgen::JsValue;
    thread_local! {
        /// The bound `format` of the date-and-time and the date-only formatter.
        static FORMATS: [std::cell::OnceCell<Option<js_sys::Function>>; 2] = Default::default();
    }
    let build = || {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into()).ok()?;
        if !date_only {
            js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into()).ok()?;
        }
        Some(js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).format())
    };
    let format =
        FORMATS.with(|formats| formats[usize::from(date_only)].get_or_init(build).clone())?;
    let date = js_sys::Date::new(&JsValue::from_f64(unix as f64 * 1000.0));
    format.call1(&JsValue::UNDEFINED, &date).ok()?.as_string()
}
