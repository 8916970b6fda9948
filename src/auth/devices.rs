//! Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
//! signed in to an account gets a long-lived random cookie, stored hashed. Its failed logins for
//! that account are budgeted under the device, not under the account, so an attacker who spends
//! the account's budget from elsewhere does not lock the owner out of a browser they used before.
//! The per-address budgets apply to everyone.
//!
//! A device has a lifecycle (SECURITY.md, "The browser as a device"): every browser session
//! records the device it started from; "This wasn't me" ends every session of that device and
//! revokes it; "sign out all other sessions", a password change and disabling the account revoke
//! every device but the caller's. A revoked device is unknown again: its cookie no longer finds
//! it, so its next sign-in is a new browser (alert, account budget) and it has no budget left.

use crate::auth::cookie;
use crate::platform::ids::{DeviceId, UnixTime, UserId};
use crate::platform::{config::Config, db::Db};
use crate::sessions::service::{
    self as sessions, EndReason, EndRequest, EndTarget, Ended, EndedBy,
};
use crate::sessions::token::SessionToken;
use axum::http::{HeaderMap, HeaderValue};
use sqlx::{Any, Transaction};

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

/// The id of the trusted (not revoked) device `token` names for `user_id`, if it is one.
pub async fn find(
    db: &Db,
    token: &SessionToken,
    user_id: UserId,
) -> Result<Option<DeviceId>, sqlx::Error> {
    let hash = token.hash();
    let row: Option<(DeviceId, Vec<u8>)> = sqlx::query_as(
        "SELECT id, token_hash FROM trusted_devices WHERE token_hash = $1 AND user_id = $2 \
         AND revoked_at IS NULL",
    )
    .bind(hash.0.to_vec())
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .filter(|(_, stored)| hash.matches(stored))
        .map(|(id, _)| id))
}

/// Remembers a browser that is signing in to `user_id` inside the sign-in's transaction: its
/// id (recorded on the session) and its new cookie token.
pub async fn remember_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    now: UnixTime,
) -> Result<(DeviceId, SessionToken), sqlx::Error> {
    let token = SessionToken::generate();
    let (id,): (DeviceId,) = sqlx::query_as(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at, last_used_at) \
         VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(token.hash().0.to_vec())
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok((id, token))
}

/// Notes that a known browser signed in again; `false` if it was revoked meanwhile (the sign-in
/// then treats it as a new browser).
pub async fn touch_in(
    tx: &mut Transaction<'static, Any>,
    device_id: DeviceId,
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE trusted_devices SET last_used_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(device_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which of an account's devices to revoke.
#[derive(Clone, Copy, Debug)]
pub enum Revoke {
    /// One device ("This wasn't me").
    One(DeviceId),
    /// Every device but this one (`None`: all of them).
    AllExcept(Option<DeviceId>),
}

/// The revoking statement with its own condition on `id` (`$4`).
macro_rules! revoke_sql {
    ($condition:literal) => {
        concat!(
            "UPDATE trusted_devices SET revoked_at = $1, revoked_reason = $2 \
             WHERE user_id = $3 AND revoked_at IS NULL AND ",
            $condition
        )
    };
}

/// Revokes devices of `user_id` inside `tx` (they become unknown browsers); how many.
pub async fn revoke_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    which: Revoke,
    reason: &str,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    let (sql, id) = match which {
        Revoke::One(id) => (revoke_sql!("id = $4"), id),
        Revoke::AllExcept(keep) => (revoke_sql!("id <> $4"), keep.unwrap_or(DeviceId(-1))),
    };
    let done = sqlx::query(sql)
        .bind(now)
        .bind(reason)
        .bind(user_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// What "This wasn't me" did to a browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrowserEnded {
    /// The sessions it ended (the named one and every other live session of its browser).
    pub ended: Ended,
    /// Whether it revoked the browser's device record (it is then an unknown browser).
    pub device_revoked: bool,
}

/// "This wasn't me" for one session of `user_id` (from the alert's link or the page's row): ends
/// it and every live session started from the same browser, whatever that browser signed in as
/// since, and revokes the browser's device record — unless that browser is the one asking (`by`
/// a session of it), which it never touches (SEC-40).
pub async fn end_browser_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    session: EndTarget<'_>,
    by: EndedBy<'_>,
    now: UnixTime,
) -> Result<BrowserEnded, sqlx::Error> {
    let reason = EndReason::NotMe;
    let keep = match by {
        EndedBy::Caller(caller) => caller.device_id,
        EndedBy::System => None,
    };
    let mut ended = sessions::end_in(
        tx,
        user_id,
        EndRequest {
            target: session,
            reason,
            by,
        },
        now,
    )
    .await?;
    let mut device_revoked = false;
    if let Some((device, revoked)) = sessions::device_of_in(tx, user_id, session).await?
        && Some(device) != keep
    {
        let more = sessions::end_in(
            tx,
            user_id,
            EndRequest {
                target: EndTarget::Device(device),
                reason,
                by,
            },
            now,
        )
        .await?;
        ended.count += more.count;
        ended.own_session |= more.own_session;
        if !revoked {
            let which = Revoke::One(device);
            device_revoked = revoke_in(tx, user_id, which, reason.as_str(), now).await? > 0;
        }
    }
    Ok(BrowserEnded {
        ended,
        device_revoked,
    })
}
