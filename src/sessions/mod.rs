//! The product: listing and revoking the signed-in user's sessions, as a page (server functions)
//! and as a JSON API.

pub mod components;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod client_info;
#[cfg(feature = "ssr")]
pub mod repository;
#[cfg(feature = "ssr")]
pub mod service;
