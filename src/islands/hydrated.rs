//! The hydration marker the end-to-end tests and the benchmarks wait for.

use leptos::prelude::*;

/// Sets `<html data-hydrated="true">` when it is hydrated. It is the last island of the page and
/// the islands loader (`loader.js`) hydrates islands in document order, so by then every other
/// island has run. The server's HTML keeps `"false"`.
#[island]
pub fn Hydrated() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
