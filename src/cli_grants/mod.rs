//! Signing in from a terminal: the CLI starts a grant, a signed-in person approves it in the
//! browser, the CLI redeems it for a `cli` session token (SEC-31).

pub mod approve_page;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod code;
#[cfg(feature = "ssr")]
pub mod repository;
#[cfg(feature = "ssr")]
pub mod service;
