//! Absolute times: rendered in UTC with a visible "UTC" on the server (and so during
//! hydration), then in the browser's own locale and time zone through `Intl.DateTimeFormat`
//! (a de-DE browser in Europe/Berlin reads `26.11.2026, 15:04`).

use crate::sessions::model::Timestamp;
use leptos::prelude::*;

pub use active_sessions_api::words::utc_text;

/// The browser's rendering of `unix` (medium date, short time) in its locale and time zone.
///
/// The page keeps one `Intl.DateTimeFormat` per style and reuses its bound `format` instead of
/// building one per time shown (a page of 20 sessions shows over a hundred). Measured in
/// Chromium: the constructor's time per load went from 37 to 33 ms; most of it is the first
/// construction, which loads the locale's data (BENCHMARKS.md).
#[cfg(feature = "hydrate")]
fn browser_text(unix: i64, date_only: bool) -> Option<String> {
    use wasm_bindgen::JsValue;
    thread_local! {
        /// The bound `format` of the date-and-time and the date-only formatter, built on first use.
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

/// `unix` as text: UTC until hydrated, then local.
#[cfg(feature = "hydrate")]
pub fn use_local_text(unix: i64, date_only: bool) -> Signal<String> {
    let local = RwSignal::new(None::<String>);
    Effect::new(move |_| local.set(browser_text(unix, date_only)));
    Signal::derive(move || local.get().unwrap_or_else(|| utc_text(unix, date_only)))
}

/// `unix` as text: on the server only ever UTC, so a stored value (no signal, no effect: a page
/// of 20 sessions renders five or more per row).
#[cfg(not(feature = "hydrate"))]
pub fn use_local_text(unix: i64, date_only: bool) -> Signal<String> {
    Signal::stored(utc_text(unix, date_only))
}

/// An absolute time in a `<time>` element carrying the exact instant.
#[component]
pub fn LocalTime(at: Timestamp, #[prop(optional)] date_only: bool) -> impl IntoView {
    let text = use_local_text(at.unix, date_only);
    view! { <time datetime=at.rfc3339>{text}</time> }
}
