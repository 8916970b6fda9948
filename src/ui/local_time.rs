//! Absolute times: rendered in UTC with a visible "UTC" on the server (and so during
//! hydration), then in the browser's own locale and time zone through `Intl.DateTimeFormat`
//! (a de-DE browser in Europe/Berlin reads `26.11.2026, 15:04`).

use crate::sessions::model::Instant;
use leptos::prelude::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// (year, month 1–12, day) of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "26 Nov 2026, 14:02 UTC" (or "26 Nov 2026" with `date_only`), the same on server and browser.
pub fn utc_text(unix: i64, date_only: bool) -> String {
    let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    let month = MONTHS[(month - 1) as usize];
    if date_only {
        format!("{day} {month} {year}")
    } else {
        format!(
            "{day} {month} {year}, {:02}:{:02} UTC",
            secs / 3_600,
            secs % 3_600 / 60
        )
    }
}

/// The browser's rendering of `unix` (medium date, short time) in its locale and time zone.
#[cfg(feature = "hydrate")]
fn browser_text(unix: i64, date_only: bool) -> Option<String> {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into()).ok()?;
    if !date_only {
        js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into()).ok()?;
    }
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    let date = js_sys::Date::new(&JsValue::from_f64(unix as f64 * 1000.0));
    format
        .format()
        .call1(&JsValue::UNDEFINED, &date)
        .ok()?
        .as_string()
}

/// `unix` as text: UTC until hydrated, then local.
pub fn use_local_text(unix: i64, date_only: bool) -> Signal<String> {
    let local = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        local.set(browser_text(unix, date_only));
    });
    Signal::derive(move || local.get().unwrap_or_else(|| utc_text(unix, date_only)))
}

/// An absolute time in a `<time>` element carrying the exact instant.
#[component]
pub fn LocalTime(at: Instant, #[prop(optional)] date_only: bool) -> impl IntoView {
    let text = use_local_text(at.unix, date_only);
    view! { <time datetime=at.rfc3339>{text}</time> }
}

#[cfg(test)]
mod tests {
    use super::utc_text;

    #[test]
    fn utc_reads_as_people_write_it() {
        assert_eq!(utc_text(1_795_701_720, false), "26 Nov 2026, 14:02 UTC");
        assert_eq!(utc_text(1_795_701_720, true), "26 Nov 2026");
        assert_eq!(utc_text(0, false), "1 Jan 1970, 00:00 UTC");
        assert_eq!(utc_text(951_782_400, true), "29 Feb 2000");
        assert_eq!(utc_text(-86_400, true), "31 Dec 1969");
    }
}
