//! Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
//! signed in to an account gets a long-lived random cookie, stored hashed. Its failed logins for
//! that account are budgeted under the device, not under the account, so an attacker who spends
//! the account's budget from elsewhere does not lock the owner out of a browser they used before.
//! The per-address budgets apply to everyone.

use crate::auth::cookie;
use crate::platform::{config::Config, db::Db};
use crate::sessions::token::SessionToken;
use axum::http::{HeaderMap, HeaderValue};

/// Cookie name over https.
pub const SECURE_DEVICE_COOKIE: &str = "__Host-device";
/// Cookie name on plain-http development servers.
pub const DEV_DEVICE_COOKIE: &str = "device";
/// How long a browser stays known: one year.
pub const DEVICE_COOKIE_SECS: i64 = 365 * 24 * 3600;

fn name(config: &Config) -> &'static str {
    if config.secure_cookies() {
        SECURE_DEVICE_COOKIE
    } else {
        DEV_DEVICE_COOKIE
    }
}

/// The device cookie's value in the request, if it has the shape of one (SEC-05).
pub fn read(config: &Config, headers: &HeaderMap) -> Option<SessionToken> {
    cookie::read_named(headers, name(config)).and_then(SessionToken::parse)
}

/// `Set-Cookie` value for a new device token.
pub fn set(config: &Config, token: &SessionToken) -> HeaderValue {
    let value = token.expose().to_owned();
    cookie::build(
        name(config),
        value,
        DEVICE_COOKIE_SECS,
        config.secure_cookies(),
    )
}

/// The id of the trusted device `token` names for `user_id`, if it is one.
pub async fn find(db: &Db, token: &SessionToken, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let hash = token.hash();
    let row: Option<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT id, token_hash FROM trusted_devices WHERE token_hash = $1 AND user_id = $2",
    )
    .bind(hash.0.to_vec())
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .filter(|(_, stored)| hash.matches(stored))
        .map(|(id, _)| id))
}

/// Remembers a browser that just signed in to `user_id`; its new cookie token.
pub async fn remember(db: &Db, user_id: i64, now: i64) -> Result<SessionToken, sqlx::Error> {
    let token = SessionToken::generate();
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at, last_used_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(token.hash().0.to_vec())
    .bind(user_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// Notes that a known browser signed in again.
pub async fn touch(db: &Db, device_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE trusted_devices SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(device_id)
        .execute(db.pool())
        .await?;
    Ok(())
}
