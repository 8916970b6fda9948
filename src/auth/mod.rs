//! Who is asking, and proving it: login, logout, passwords and re-authentication (the service),
//! the session cookie, the `Caller` extractor, and the account pages.

pub mod login_page;
pub mod password_page;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod cookie;
#[cfg(feature = "ssr")]
pub mod devices;
#[cfg(feature = "ssr")]
pub mod extract;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod service;
