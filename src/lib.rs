//! active-sessions: the "Active sessions" settings page, rendered on the server with Leptos (the
//! browser hydrates only the islands of `islands`), plus the JSON API and CLI grant flow behind it.
//!
//! Folders follow concerns: `sessions/` (the page, its server functions, the JSON API, the
//! service and repository, session tokens), `users/` (accounts), `auth/` (who is asking: login,
//! logout, passwords, re-authentication, the `Caller`), `cli_grants/` (the CLI sign-in flow), `alerts/` (sign-in emails and the "This wasn't me" page),
//! `ui/` (shared components), `platform/` (database, settings, clock, hashing, limits; server
//! only) and `server/` (the router that assembles every feature; server only).
//!
//! Layers point one way: adapters (`api.rs`, `server_fns.rs`, `handlers.rs`) → services
//! (`service.rs`) → repositories (`repository`) → `platform`. Between domains only services talk:
//! sessions ← alerts ← cli_grants ← users ← auth.

#![recursion_limit = "256"]

pub mod alerts;
pub mod app;
pub mod auth;
pub mod cli_grants;
pub mod error;
pub mod factors;
pub mod islands;
pub mod sessions;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod openapi;
#[cfg(feature = "ssr")]
pub mod platform;
#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: hydrates the islands of the server-rendered page (`islands`; the rest of
/// the page is server HTML and is not in the wasm). Debug builds print panics to the
/// console; the release wasm is built with `panic = immediate-abort` (see `scripts/env.sh`), so
/// there is no panic message to print and the hook would be dead weight.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
