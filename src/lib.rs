//! active-sessions: the "Active sessions" settings page, rendered on the server with Leptos and
//! hydrated in the browser, plus the JSON API and CLI grant flow behind it.
//!
//! Folders follow concerns: `auth/` (tokens, passwords, login, the auth layer), `sessions/` (the
//! page, its server functions, the JSON API and the repository), `cli_grants/` (the CLI sign-in
//! flow), `users/`, `ui/` (shared components) and `server/` (HTTP wiring; server only).

#![recursion_limit = "256"]

pub mod app;
pub mod auth;
pub mod cli_grants;
pub mod error;
pub mod sessions;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod openapi;
#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
