//! Second factors (issue 23): authenticator apps (TOTP, RFC 6238), recovery codes and passkeys
//! (WebAuthn, `webauthn`), the
//! pending password step of a two-step sign-in, and the crypto that keeps their secrets sealed
//! at rest. The components are shared; everything else is server-only.
//!
//! Layers as elsewhere: `service` (the only way in) → `repository` (SQL) → `platform`; `crypto`,
//! `totp`, `recovery` and `qr` are pure functions the service uses.

#[cfg(feature = "ssr")]
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod crypto;
pub mod model;
#[cfg(feature = "ssr")]
pub mod qr;
#[cfg(feature = "ssr")]
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod repository;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub mod webauthn;
