//! Sign-in alerts: a sign-in from a browser or terminal the account has not used before sends
//! "New sign-in to your account" with a one-click "This wasn't me" link that ends exactly that
//! session, without needing to sign in.
//!
//! The message is written to an outbox (`outbox`) in the transaction that creates the session;
//! `delivery` sends it in the background with retries, so an SMTP outage or a crash loses
//! nothing. The link's token (`repository`) is stored hashed, single use, 7 days, bound to one
//! session; `GET /not-me/{token}` only shows the session, the form `POST` ends it.
//!
//! Turning two-step sign-in on or off queues "Two-step sign-in was turned on/off" the same way,
//! in the transaction that changes the factor (`factor_message`).
//!
//! Between domains: sessions ← alerts ← cli_grants ← users ← auth.

pub mod model;
pub mod not_me_page;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod delivery;
#[cfg(feature = "ssr")]
pub mod factor_message;
#[cfg(feature = "ssr")]
pub mod message;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod repository;
#[cfg(feature = "ssr")]
pub mod service;
