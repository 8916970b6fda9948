//! The only code shipped to the browser: three islands without props, placed at the end of
//! `<body>` by [`crate::app::shell`]. Everything else renders on the server only and stays plain
//! HTML (forms and links that work without JavaScript); the islands read what they need from
//! that HTML (`data-*` attributes) instead of props, so no JSON decoder reaches the wasm
//! (docs/design/islands.md).
//!
//! [`loader::IslandsLoader`] (the shell's script, in place of Leptos' `<HydrationScripts>`)
//! hydrates islands one after the other in document order, so [`hydrated::Hydrated`] stays last.

pub mod clock;
pub mod enhancer;
pub mod hydrated;
pub mod loader;

pub use clock::Clock;
pub use enhancer::PageEnhancer;
pub use hydrated::Hydrated;
pub use loader::IslandsLoader;
