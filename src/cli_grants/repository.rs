//! SQL of CLI grants. Approval and redemption are single conditional `UPDATE`s, so a code is
//! used at most once even when redeemed concurrently (SEC-31).

use crate::platform::db::Db;
use crate::platform::ids::{GrantId, SessionId, UnixTime, UserId};
use crate::sessions::token::{SessionToken, TokenHash};
use sqlx::{Any, Transaction};

/// A grant row for display.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantRow {
    /// `XXXX-XXXX`.
    pub user_code: String,
    /// Requesting client.
    pub user_agent: Option<String>,
    /// Its IP.
    pub ip: Option<String>,
    /// Start time.
    pub created_at: UnixTime,
    /// Expiry.
    pub expires_at: UnixTime,
    /// Approval time.
    pub approved_at: Option<UnixTime>,
    /// Denial time.
    pub denied_at: Option<UnixTime>,
    /// Redemption time.
    pub redeemed_at: Option<UnixTime>,
}

/// A grant about to be stored.
#[derive(Debug)]
pub struct NewGrant<'a> {
    /// Its secret; only the hash is stored.
    pub device_code: &'a SessionToken,
    /// `XXXX-XXXX`.
    pub user_code: &'a str,
    /// The requesting client's cleaned user agent.
    pub user_agent: Option<&'a str>,
    /// Its address.
    pub ip: Option<&'a str>,
    /// Start time.
    pub now: UnixTime,
    /// Expiry.
    pub expires_at: UnixTime,
}

/// Stores a new grant; the device code's hash is what the CLI later redeems with.
pub async fn create(db: &Db, new: NewGrant<'_>) -> Result<(), sqlx::Error> {
    // Old grants are of no use to anyone; drop them as new ones arrive.
    sqlx::query("DELETE FROM cli_grants WHERE expires_at < $1")
        .bind(new.now - 86_400)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO cli_grants (device_code_hash, user_code, user_agent, ip, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.device_code.hash().0.to_vec())
    .bind(new.user_code)
    .bind(new.user_agent)
    .bind(new.ip)
    .bind(new.now)
    .bind(new.expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The unexpired grant with this user code.
pub async fn find_by_user_code(
    db: &Db,
    user_code: &str,
    now: UnixTime,
) -> Result<Option<GrantRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_code, user_agent, ip, created_at, expires_at, approved_at, denied_at, \
         redeemed_at FROM cli_grants WHERE user_code = $1 AND expires_at > $2",
    )
    .bind(user_code)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// Who decides on a grant: the account and the session it signed in with.
#[derive(Debug, Clone, Copy)]
pub struct Decider {
    /// The account.
    pub user_id: UserId,
    /// The approving session (internal id).
    pub session_id: SessionId,
}

/// Approves (or denies) a pending grant for `by`. False if it is not pending any more.
pub async fn decide(
    db: &Db,
    user_code: &str,
    by: Decider,
    approve: bool,
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    let done = if approve {
        sqlx::query(
            "UPDATE cli_grants SET approved_at = $1, approved_by_user_id = $3, \
             approved_by_session_id = $4 WHERE user_code = $2 \
             AND approved_at IS NULL AND denied_at IS NULL AND redeemed_at IS NULL \
             AND expires_at > $1",
        )
        .bind(now)
        .bind(user_code)
        .bind(by.user_id)
        .bind(by.session_id)
        .execute(db.pool())
        .await?
    } else {
        sqlx::query(
            "UPDATE cli_grants SET denied_at = $1 WHERE user_code = $2 AND approved_at IS NULL \
             AND denied_at IS NULL AND redeemed_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(user_code)
        .execute(db.pool())
        .await?
    };
    Ok(done.rows_affected() == 1)
}

/// Denies every approved grant of `user_id` that was not redeemed yet (password change,
/// sign-out of all other sessions, account disabled), inside the caller's transaction.
pub async fn deny_unredeemed_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE cli_grants SET denied_at = $1 WHERE approved_by_user_id = $2 \
         AND redeemed_at IS NULL AND denied_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Denies one grant inside the caller's transaction (its approving session has ended).
pub async fn deny_in(
    tx: &mut Transaction<'static, Any>,
    grant_id: GrantId,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cli_grants SET denied_at = $1, redeemed_at = NULL WHERE id = $2")
        .bind(now)
        .bind(grant_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Why a redeem gave no token.
#[derive(Debug, PartialEq, Eq)]
pub enum RedeemRefusal {
    /// Not decided yet.
    Pending,
    /// Denied.
    Denied,
    /// Expired.
    Expired,
    /// Unknown or already redeemed.
    Invalid,
}

/// An approved grant claimed for redemption.
#[derive(Debug)]
pub struct Claim {
    /// Grant id.
    pub grant_id: GrantId,
    /// The approving account.
    pub user_id: UserId,
    /// The requester's cleaned user agent, as stored at start.
    pub user_agent: Option<String>,
    /// The requester's address, as stored at start.
    pub ip: Option<String>,
    /// The session that approved it (none if that session row is gone).
    pub approved_by_session_id: Option<SessionId>,
}

/// `(id, approved_by_user_id, user_agent, ip, approved_by_session_id)` of a claimed grant.
type ClaimRow = (
    GrantId,
    UserId,
    Option<String>,
    Option<String>,
    Option<SessionId>,
);

/// Marks an approved, unused, unexpired grant redeemed inside `tx`: one conditional `UPDATE`,
/// so two redeems of one code cannot both succeed (SEC-31). `None` if it was not redeemable.
pub async fn claim_in(
    tx: &mut Transaction<'static, Any>,
    device_code: &TokenHash,
    now: UnixTime,
) -> Result<Option<Claim>, sqlx::Error> {
    let claimed: Option<ClaimRow> = sqlx::query_as(
        "UPDATE cli_grants SET redeemed_at = $1 \
         WHERE device_code_hash = $2 AND approved_at IS NOT NULL AND denied_at IS NULL \
         AND redeemed_at IS NULL AND expires_at > $1 \
         RETURNING id, approved_by_user_id, user_agent, ip, approved_by_session_id",
    )
    .bind(now)
    .bind(device_code.0.to_vec())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(claimed.map(
        |(grant_id, user_id, user_agent, ip, approved_by_session_id)| Claim {
            grant_id,
            user_id,
            user_agent,
            ip,
            approved_by_session_id,
        },
    ))
}

/// The account that approved the grant with this device code, if one did (read before the
/// claim, to lock that account first).
pub async fn approver_in(
    tx: &mut Transaction<'static, Any>,
    device_code: &TokenHash,
) -> Result<Option<UserId>, sqlx::Error> {
    let row: Option<(Option<UserId>,)> =
        sqlx::query_as("SELECT approved_by_user_id FROM cli_grants WHERE device_code_hash = $1")
            .bind(device_code.0.to_vec())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.and_then(|(id,)| id))
}

/// Records which session a redeemed grant became.
pub async fn link_session_in(
    tx: &mut Transaction<'static, Any>,
    grant_id: GrantId,
    session_id: SessionId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cli_grants SET session_id = $1 WHERE id = $2")
        .bind(session_id)
        .bind(grant_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `(expires_at, approved_at, denied_at, redeemed_at)` of a grant.
type GrantState = (
    UnixTime,
    Option<UnixTime>,
    Option<UnixTime>,
    Option<UnixTime>,
);

/// Why a grant could not be redeemed.
pub async fn refusal(
    db: &Db,
    device_code: &TokenHash,
    now: UnixTime,
) -> Result<RedeemRefusal, sqlx::Error> {
    let row: Option<GrantState> = sqlx::query_as(
        "SELECT expires_at, approved_at, denied_at, redeemed_at FROM cli_grants \
         WHERE device_code_hash = $1",
    )
    .bind(device_code.0.to_vec())
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        None | Some((_, _, _, Some(_))) => RedeemRefusal::Invalid,
        Some((_, _, Some(_), _)) => RedeemRefusal::Denied,
        Some((expires_at, _, _, _)) if expires_at <= now => RedeemRefusal::Expired,
        Some(_) => RedeemRefusal::Pending,
    })
}
