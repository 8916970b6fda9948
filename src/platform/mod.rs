//! What every feature shares and none owns, server-only: the database, settings, the clock, the
//! client's address, password hashing, rate limits (shared by every instance through the database), the SMTP client and the state that bundles them. This layer
//! imports no feature; features import it, and `server/` assembles both into the router.

pub mod budget_store;
pub mod client_ip;
pub mod clock;
pub mod config;
pub mod csp;
pub mod db;
pub mod failpoint;
pub mod failure_budget;
pub mod ids;
pub mod mail;
pub mod password;
pub mod rate_limit;
pub mod secret;
pub mod secrets_key;
pub mod state;
pub mod url;
