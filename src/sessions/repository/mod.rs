//! Every SQL statement about sessions, reached only through `sessions::service`. Ownership is
//! checked in the `WHERE` clause, never in Rust after a fetch (SEC-18); ending a session is a soft
//! delete that keeps history (`ending`), and each change leaves an audit row (`audit`).

mod audit;
mod ended;
mod ending;
mod visits;

pub use audit::record_event_in;
pub use ended::{EndedRow, list_ended, purge_ended, record_refusal};
pub use ending::{EndTarget, end_in};
pub use visits::{mark_page_seen, page_seen, page_seen_before};

use crate::platform::db::Db;
use crate::sessions::model::SessionKind;
use crate::sessions::token::{SessionToken, TokenHash, random_public_id};
use sqlx::{Any, Transaction};

/// A session row as the list and the detail API need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// Internal id.
    pub id: i64,
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
    /// JSON array of factor names.
    pub mfa_factors: String,
    /// User-given name.
    pub label: Option<String>,
    /// Creation time.
    pub created_at: i64,
    /// Last use (minute granularity).
    pub last_seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
    /// Address of the last use (updated with `last_seen_at`).
    pub last_ip: Option<String>,
    /// The browser it was started from (device record), if any.
    pub device_id: Option<i64>,
    /// Failed re-authentications (wrong current password) made with it.
    pub reauth_failures: i64,
}

/// What the auth layer needs about the session behind a token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthRow {
    /// Internal session id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Stored hash, re-compared in constant time.
    pub token_hash: Vec<u8>,
    /// Owner.
    pub user_id: i64,
    /// Browser or CLI.
    #[sqlx(try_from = "String")]
    pub kind: SessionKind,
    /// Last time the user proved their password on this session.
    pub authenticated_at: i64,
    /// Last use.
    pub last_seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
    /// When it ended (the token is then refused, and the refusal counted).
    pub revoked_at: Option<i64>,
    /// The browser it was started from, if any.
    pub device_id: Option<i64>,
}

/// A session about to be created.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Owner.
    pub user_id: i64,
    /// Browser or CLI.
    pub kind: SessionKind,
    /// `password`, `dev` or `cli`.
    pub sign_in_method: &'a str,
    /// User agent, already cleaned by [`crate::sessions::caller::clean_user_agent`].
    pub user_agent: Option<&'a str>,
    /// Client IP.
    pub ip: Option<&'a str>,
    /// Seconds until the absolute expiry.
    pub lifetime_secs: i64,
    /// When the password was last proven for it; `None` means now (a fresh sign-in).
    pub authenticated_at: Option<i64>,
    /// The browser it starts from (a `trusted_devices` row), if any.
    pub device_id: Option<i64>,
}

/// A freshly created session: the token goes to the client once and is never stored.
#[derive(Debug)]
pub struct CreatedSession {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// The secret.
    pub token: SessionToken,
    /// Absolute expiry.
    pub expires_at: i64,
}

/// Inserts a session inside `tx` and writes its audit row (SEC-36). The per-user cap is applied
/// by the service right after, in the same transaction.
pub async fn create_in(
    tx: &mut Transaction<'static, Any>,
    new: NewSession<'_>,
    now: i64,
) -> Result<CreatedSession, sqlx::Error> {
    let token = SessionToken::generate();
    let public_id = random_public_id();
    let expires_at = now + new.lifetime_secs;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sessions (public_id, token_hash, user_id, kind, user_agent, ip, \
         sign_in_method, mfa_factors, created_at, authenticated_at, last_seen_at, expires_at, \
         device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, $9, $8, $10, $11) RETURNING id",
    )
    .bind(&public_id)
    .bind(token.hash().0.to_vec())
    .bind(new.user_id)
    .bind(new.kind.as_str())
    .bind(new.user_agent)
    .bind(new.ip)
    .bind(new.sign_in_method)
    .bind(now)
    .bind(new.authenticated_at.unwrap_or(now))
    .bind(expires_at)
    .bind(new.device_id)
    .fetch_one(&mut **tx)
    .await?;
    record_event_in(
        tx,
        now,
        "session_created",
        Some(new.user_id),
        Some(&public_id),
        None,
        new.ip,
        Some(new.kind.as_str()),
    )
    .await?;
    Ok(CreatedSession {
        id,
        public_id,
        token,
        expires_at,
    })
}

/// [`find_by_token`]'s statement: `$1` the token hash (public for the measurement in
/// `examples/sqlite_parallel_reads`).
pub const FIND_BY_TOKEN: &str = "SELECT s.id, s.public_id, s.token_hash, s.user_id, s.kind, \
     s.authenticated_at, s.last_seen_at, s.expires_at, s.revoked_at, s.device_id \
     FROM sessions s JOIN users u ON u.id = s.user_id \
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
    session_id: i64,
    now: i64,
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
        "SELECT id, public_id, kind, user_agent, ip, sign_in_method, mfa_factors, label, \
         created_at, last_seen_at, expires_at, last_ip, device_id, reauth_failures FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL"
    };
}

/// [`list_live`]'s statement: `$1` the user, `$2` now, `$3` the idle cut-off (public for the
/// measurement in `examples/sqlite_parallel_reads`).
pub const LIST_LIVE: &str = concat!(
    select_live!(),
    " AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC, id DESC"
);

/// The user's live sessions (not revoked, not expired, not idle), most recently used first, in
/// one query.
pub async fn list_live(
    db: &Db,
    user_id: i64,
    now: i64,
    idle_secs: i64,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(LIST_LIVE)
        .bind(user_id)
        .bind(now)
        .bind(now - idle_secs)
        .fetch_all(db.pool())
        .await
}

/// One live session of the user, by public id.
pub async fn find_live(
    db: &Db,
    user_id: i64,
    public_id: &str,
    now: i64,
    idle_secs: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        select_live!(),
        " AND public_id = $2 AND expires_at > $3 AND last_seen_at > $4"
    ))
    .bind(user_id)
    .bind(public_id)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_optional(db.pool())
    .await
}

/// Sets (or with `None` removes) the name of a live session of `user_id`; whether one was.
pub async fn set_label(
    db: &Db,
    user_id: i64,
    public_id: &str,
    label: Option<&str>,
    now: i64,
    idle_secs: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET label = $1 WHERE public_id = $2 AND user_id = $3 \
         AND revoked_at IS NULL AND expires_at > $4 AND last_seen_at > $5",
    )
    .bind(label)
    .bind(public_id)
    .bind(user_id)
    .bind(now)
    .bind(now - idle_secs)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the token of a live session (password change), marking it freshly authenticated.
pub async fn rotate_token_in(
    tx: &mut Transaction<'static, Any>,
    session_id: i64,
    now: i64,
) -> Result<Option<SessionToken>, sqlx::Error> {
    let token = SessionToken::generate();
    let done = sqlx::query(
        "UPDATE sessions SET token_hash = $1, authenticated_at = $2, last_seen_at = $2 \
         WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(token.hash().0.to_vec())
    .bind(now)
    .bind(session_id)
    .execute(&mut **tx)
    .await?;
    Ok((done.rows_affected() == 1).then_some(token))
}

/// When the live session `session_id` last proved the password, inside `tx`; `None` if it has
/// ended (revoked, expired or idle).
pub async fn live_authenticated_at_in(
    tx: &mut Transaction<'static, Any>,
    session_id: i64,
    now: i64,
    idle_secs: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT authenticated_at FROM sessions WHERE id = $1 AND revoked_at IS NULL \
         AND expires_at > $2 AND last_seen_at > $3",
    )
    .bind(session_id)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(at,)| at))
}

/// The browser (device record) a session of `user_id` was started from, live or ended, and
/// whether that device is revoked. The session is named by internal id or by public id.
pub async fn device_of_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    session: EndTarget<'_>,
) -> Result<Option<(i64, bool)>, sqlx::Error> {
    let (id, public_id) = match session {
        EndTarget::Id(id) => (id, ""),
        EndTarget::Public(public_id) => (-1, public_id),
        _ => return Ok(None),
    };
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT d.id, d.revoked_at FROM sessions s JOIN trusted_devices d ON d.id = s.device_id \
         WHERE s.user_id = $1 AND (s.id = $2 OR s.public_id = $3)",
    )
    .bind(user_id)
    .bind(id)
    .bind(public_id.to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id, revoked)| (id, revoked.is_some())))
}

/// Whether device `device_id` is revoked (`None`: no such device).
pub async fn device_revoked(db: &Db, device_id: i64) -> Result<Option<bool>, sqlx::Error> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT revoked_at FROM trusted_devices WHERE id = $1")
            .bind(device_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(revoked,)| revoked.is_some()))
}

/// Counts a failed re-authentication on session `session_id` (shown on the owner's page).
pub async fn record_reauth_failure(db: &Db, session_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET reauth_failures = reauth_failures + 1, last_reauth_failure_at = $2 \
         WHERE id = $1",
    )
    .bind(session_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Marks a session as freshly authenticated (after the password was confirmed again).
pub async fn mark_authenticated(db: &Db, session_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET authenticated_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(session_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A session by internal id, live or ended, with when it ended (`None`: not revoked).
pub async fn find_any(
    db: &Db,
    session_id: i64,
) -> Result<Option<(SessionRow, Option<i64>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        session: SessionRow,
        revoked_at: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, public_id, kind, user_agent, ip, sign_in_method, mfa_factors, label, \
         created_at, last_seen_at, expires_at, last_ip, device_id, reauth_failures, revoked_at \
         FROM sessions WHERE id = $1",
    )
    .bind(session_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.session, r.revoked_at)))
}

/// Whether `user_id` ever signed in before session `except_public_id`, inside `tx`: from the
/// audit trail, which outlives sessions (ended ones are purged after 30 days).
pub async fn signed_in_before_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    except_public_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM auth_events WHERE user_id = $1 AND event = 'session_created' \
         AND session_public_id <> $2 LIMIT 1",
    )
    .bind(user_id)
    .bind(except_public_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}
