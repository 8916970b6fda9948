//! Every SQL statement about sessions, reached only through `sessions::service`. Ownership is
//! checked in the `WHERE` clause, never in Rust after a fetch (SEC-18); ending a session is a soft
//! delete that keeps history (`ending`), and each change leaves an audit row (`audit`).

use crate::platform::ids::{DeviceId, SessionId, UnixTime, UserId};
mod audit;
mod create;
mod end_statement;
mod facts;
mod history;
mod proofs;
mod provenance;
mod visits;

pub use audit::{AuthEvent, record_event_in};
pub use create::{CreatedSession, NewSession, Proved, create_in};
pub use end_statement::{EndTarget, Ending, end_in};
pub use facts::{device_of_in, device_revoked, find_any, signed_in_before_in};
pub use history::{EndedRow, list_ended, purge_ended, record_refusal};
pub use proofs::{
    LaterFactor, LaterProof, assurance_level_of, drop_passkey_proofs_in, drop_second_factor_in,
    live_authenticated_at_in, mark_authenticated, mark_factor_proved_in, record_reauth_failure,
    rotate_token_in,
};
pub use provenance::{Approval, approvals_in, approved_from_in};
pub use visits::{mark_page_seen_in, page_seen_before_in, page_seen_in};

use crate::platform::db::Db;
use crate::sessions::model::SessionKind;
use crate::sessions::token::TokenHash;
use sqlx::AnyConnection;

/// A session row as the list and the detail API need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// Internal id.
    pub id: SessionId,
    /// Public id.
    pub public_id: String,
    /// Browser or CLI.
    #[sqlx(try_from = "String")]
    pub kind: SessionKind,
    /// Captured user agent.
    pub user_agent: Option<String>,
    /// Client IP at creation.
    pub ip: Option<String>,
    /// `password` / `dev` / `cli`.
    pub sign_in_method: String,
    /// JSON array of what it proved (`password`, `totp`, `recovery_code`).
    pub mfa_factors: String,
    /// When what it proved last changed.
    pub mfa_updated_at: Option<UnixTime>,
    /// 1: one factor, 2: two.
    pub assurance_level: i64,
    /// User-given name.
    pub label: Option<String>,
    /// Creation time.
    pub created_at: UnixTime,
    /// Last use (minute granularity).
    pub last_seen_at: UnixTime,
    /// Absolute expiry.
    pub expires_at: UnixTime,
    /// Address of the last use (updated with `last_seen_at`).
    pub last_ip: Option<String>,
    /// The browser it was started from (device record), if any.
    pub device_id: Option<DeviceId>,
    /// Failed re-authentications (wrong current password) made with it.
    pub reauth_failures: i64,
}

/// What the auth layer needs about the session behind a token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthRow {
    /// Internal session id.
    pub id: SessionId,
    /// Public id.
    pub public_id: String,
    /// Stored hash, re-compared in constant time.
    pub token_hash: Vec<u8>,
    /// Owner.
    pub user_id: UserId,
    /// Browser or CLI.
    #[sqlx(try_from = "String")]
    pub kind: SessionKind,
    /// Last time the user proved their password on this session.
    pub authenticated_at: UnixTime,
    /// Last use.
    pub last_seen_at: UnixTime,
    /// Absolute expiry.
    pub expires_at: UnixTime,
    /// When it ended (the token is then refused, and the refusal counted).
    pub revoked_at: Option<UnixTime>,
    /// The browser it was started from, if any.
    pub device_id: Option<DeviceId>,
    /// Last time it proved the account's authenticator app (sign-in or step-up).
    pub totp_proved_at: Option<UnixTime>,
    /// The account's authenticator app, if it has one (step-up asks for it).
    pub totp_id: Option<i64>,
    /// Last time it proved one of the account's passkeys (sign-in or step-up).
    pub passkey_proved_at: Option<UnixTime>,
    /// One of the account's passkeys, if it has any (step-up asks for one).
    pub passkey_id: Option<i64>,
}

/// [`find_by_token`]'s statement: `$1` the token hash (public for the measurement in
/// `examples/sqlite_parallel_reads`).
pub const FIND_BY_TOKEN: &str = "SELECT s.id, s.public_id, s.token_hash, s.user_id, s.kind, \
     s.authenticated_at, s.last_seen_at, s.expires_at, s.revoked_at, s.device_id, \
     s.totp_proved_at, t.id AS totp_id, s.passkey_proved_at, \
     (SELECT MIN(p.id) FROM passkeys p WHERE p.user_id = s.user_id) AS passkey_id \
     FROM sessions s JOIN users u ON u.id = s.user_id \
     LEFT JOIN totp_factors t ON t.user_id = s.user_id \
     WHERE s.token_hash = $1 AND u.disabled_at IS NULL";

/// The session with this token hash whose owner is not disabled, ended or not (the caller
/// refuses an ended one and counts the refusal). Expiry is judged by the caller so that it can
/// tell idle from absolute timeouts. One indexed query either way.
pub async fn find_by_token(db: &Db, hash: &TokenHash) -> Result<Option<AuthRow>, sqlx::Error> {
    sqlx::query_as(FIND_BY_TOKEN)
        .bind(hash.0.to_vec())
        .fetch_optional(db.pool())
        .await
}

/// Records use of a session. Never touches a revoked row, so a request that was in flight when
/// the session was revoked cannot bring it back (SEC-21).
pub async fn touch(
    db: &Db,
    session_id: SessionId,
    now: UnixTime,
    ip: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET last_seen_at = $1, last_ip = COALESCE($3, last_ip) \
         WHERE id = $2 AND revoked_at IS NULL AND last_seen_at < $1",
    )
    .bind(now)
    .bind(session_id)
    .bind(ip)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `SELECT` of [`SessionRow`]s of user `$1` that are not revoked.
macro_rules! select_live {
    () => {
        "SELECT id, public_id, kind, user_agent, ip, sign_in_method, mfa_factors, \
         mfa_updated_at, assurance_level, label, created_at, last_seen_at, expires_at, last_ip, device_id, reauth_failures FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL"
    };
}

/// The instant and idle limit that decide which sessions are live: not revoked, not expired at
/// `now`, and used within the last `idle_secs`.
#[derive(Clone, Copy, Debug)]
pub struct LiveAt {
    /// The instant.
    pub now: UnixTime,
    /// The idle limit in seconds.
    pub idle_secs: i64,
}

impl LiveAt {
    /// A live session was last used after this.
    pub fn used_after(self) -> UnixTime {
        self.now - self.idle_secs
    }
}

/// [`list_live_in`]'s statement: `$1` the user, `$2` now, `$3` the idle cut-off (public for the
/// measurement in `examples/sqlite_parallel_reads`).
pub const LIST_LIVE: &str = concat!(
    select_live!(),
    " AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC, id DESC"
);

/// The user's live sessions (not revoked, not expired, not idle), most recently used first, in
/// one query.
pub async fn list_live_in(
    conn: &mut AnyConnection,
    user_id: UserId,
    live: LiveAt,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(LIST_LIVE)
        .bind(user_id)
        .bind(live.now)
        .bind(live.used_after())
        .fetch_all(conn)
        .await
}

/// One live session of the user, by public id.
pub async fn find_live(
    db: &Db,
    user_id: UserId,
    public_id: &str,
    live: LiveAt,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        select_live!(),
        " AND public_id = $2 AND expires_at > $3 AND last_seen_at > $4"
    ))
    .bind(user_id)
    .bind(public_id)
    .bind(live.now)
    .bind(live.used_after())
    .fetch_optional(db.pool())
    .await
}

/// Sets (or with `None` removes) the name of a live session of `user_id`; whether one was.
pub async fn set_label(
    db: &Db,
    user_id: UserId,
    public_id: &str,
    label: Option<&str>,
    live: LiveAt,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET label = $1 WHERE public_id = $2 AND user_id = $3 \
         AND revoked_at IS NULL AND expires_at > $4 AND last_seen_at > $5",
    )
    .bind(label)
    .bind(public_id)
    .bind(user_id)
    .bind(live.now)
    .bind(live.used_after())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}
