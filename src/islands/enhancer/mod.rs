//! The `PageEnhancer` island: the sessions page without reloads. The page is server HTML whose
//! every control is a plain form or link (so it works without JavaScript); inside
//! `main[data-enhance]` this island intercepts them, fetches the server's answer (following its
//! redirects, as the browser would) and swaps the new `<main>` into place, keeping the document,
//! the `.notices` live region and the islands. It also turns the server's open `<dialog
//! data-modal>` into a real modal one (Escape goes back to its `data-close-href`), moves focus
//! where the old client did, and says so when the network fails.
//!
//! It holds no server function client and no props (both would bring `serde_json` and more into
//! the wasm; docs/design/islands.md): the forms post to the same server function URLs as
//! without JavaScript, with `Accept: text/html`.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod swap;

/// Installs the page's listeners when the page has a `main[data-enhance]`. Renders nothing.
#[island]
pub fn PageEnhancer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::install();
}
