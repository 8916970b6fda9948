//! Every SQL statement about sessions. Ownership is checked in the `WHERE` clause, never in Rust
//! after a fetch (SEC-18); revocation is a soft delete that keeps history.

use crate::auth::token::{SessionToken, TokenHash, random_public_id};
use crate::server::db::Db;
use crate::sessions::model::SessionKind;
use sqlx::{Any, Transaction};

/// Stored user agents are cut to this many bytes (SEC-23).
pub const MAX_USER_AGENT_BYTES: usize = 1024;

/// A session row as the list and the detail API need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// `web` / `cli`.
    pub kind: String,
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
    /// `web` / `cli`.
    pub kind: String,
    /// Last time the user proved their password on this session.
    pub authenticated_at: i64,
    /// Last use.
    pub last_seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
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
    /// Raw user agent bytes as received (made lossy UTF-8 and capped here).
    pub user_agent: Option<&'a [u8]>,
    /// Client IP.
    pub ip: Option<String>,
    /// Seconds until the absolute expiry.
    pub lifetime_secs: i64,
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

/// Lossy UTF-8, control characters dropped, cut to 1 KiB on a character boundary (SEC-23).
pub fn clean_user_agent(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut end = text.len().min(MAX_USER_AGENT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(text[..end].to_owned())
}

/// Creates a session inside `tx`, ends the least recently used ones past `max_per_user`
/// (SEC-15) and writes the audit row, all in the caller's transaction (SEC-36).
pub async fn create_in(
    tx: &mut Transaction<'static, Any>,
    new: NewSession<'_>,
    now: i64,
    max_per_user: u32,
) -> Result<CreatedSession, sqlx::Error> {
    let token = SessionToken::generate();
    let public_id = random_public_id();
    let expires_at = now + new.lifetime_secs;
    let user_agent = new.user_agent.and_then(clean_user_agent);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sessions (public_id, token_hash, user_id, kind, user_agent, ip, \
         sign_in_method, mfa_factors, created_at, authenticated_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, $8, $8, $9) RETURNING id",
    )
    .bind(&public_id)
    .bind(token.hash().0.to_vec())
    .bind(new.user_id)
    .bind(new.kind.as_str())
    .bind(user_agent)
    .bind(new.ip.clone())
    .bind(new.sign_in_method)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;

    sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = 'session_limit' \
         WHERE user_id = $2 AND revoked_at IS NULL AND id NOT IN ( \
             SELECT id FROM sessions WHERE user_id = $2 AND revoked_at IS NULL \
             AND expires_at > $1 ORDER BY last_seen_at DESC, id DESC LIMIT $3)",
    )
    .bind(now)
    .bind(new.user_id)
    .bind(i64::from(max_per_user))
    .execute(&mut **tx)
    .await?;

    record_event_in(
        tx,
        now,
        "session_created",
        Some(new.user_id),
        Some(&public_id),
        None,
        new.ip.as_deref(),
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

/// Creates a session in its own transaction.
pub async fn create(
    db: &Db,
    new: NewSession<'_>,
    now: i64,
    max_per_user: u32,
) -> Result<CreatedSession, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let created = create_in(&mut tx, new, now, max_per_user).await?;
    tx.commit().await?;
    Ok(created)
}

/// The unrevoked session with this token hash whose owner is not disabled. Expiry is judged by
/// the caller so that it can tell idle from absolute timeouts.
pub async fn find_by_token(db: &Db, hash: &TokenHash) -> Result<Option<AuthRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.public_id, s.token_hash, s.user_id, s.kind, s.authenticated_at, \
         s.last_seen_at, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(hash.0.to_vec())
    .fetch_optional(db.pool())
    .await
}

/// Records use of a session. Never touches a revoked row, so a request that was in flight when
/// the session was revoked cannot bring it back (SEC-21).
pub async fn touch(db: &Db, session_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET last_seen_at = $1 \
         WHERE id = $2 AND revoked_at IS NULL AND last_seen_at < $1",
    )
    .bind(now)
    .bind(session_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user's live sessions (not revoked, not expired, not idle), most recently used first, in
/// one query.
pub async fn list_live(
    db: &Db,
    user_id: i64,
    now: i64,
    idle_secs: i64,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, public_id, kind, user_agent, ip, sign_in_method, mfa_factors, label, \
         created_at, last_seen_at, expires_at FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC, id DESC",
    )
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
    sqlx::query_as(
        "SELECT id, public_id, kind, user_agent, ip, sign_in_method, mfa_factors, label, \
         created_at, last_seen_at, expires_at FROM sessions \
         WHERE user_id = $1 AND public_id = $2 AND revoked_at IS NULL AND expires_at > $3 \
         AND last_seen_at > $4",
    )
    .bind(user_id)
    .bind(public_id)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_optional(db.pool())
    .await
}

/// Who revokes, and why (kept in the row and the audit trail).
#[derive(Debug, Clone, Copy)]
pub struct Revoker<'a> {
    /// The session that asked (None for server-side actions such as disabling a user).
    pub by_session_id: Option<i64>,
    /// Its public id, for the audit trail.
    pub by_public_id: Option<&'a str>,
    /// `revoked`, `logout`, `password_change`, `signed_out_others`, ….
    pub reason: &'a str,
    /// Client IP of the request.
    pub ip: Option<&'a str>,
}

/// Revokes one session of `user_id` by public id: one owner-scoped `UPDATE` (SEC-18). Returns
/// false for unknown, foreign or already revoked ids alike. The audit row is written only by the
/// request that actually revoked it (SEC-20).
pub async fn revoke(
    db: &Db,
    user_id: i64,
    public_id: &str,
    by: Revoker<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let revoked = revoke_in(&mut tx, user_id, public_id, by, now).await?;
    tx.commit().await?;
    Ok(revoked)
}

/// [`revoke`] inside the caller's transaction.
pub async fn revoke_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    public_id: &str,
    by: Revoker<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2, revoked_by_session_id = $3 \
         WHERE public_id = $4 AND user_id = $5 AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(by.reason)
    .bind(by.by_session_id)
    .bind(public_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    record_event_in(
        tx,
        now,
        "session_revoked",
        Some(user_id),
        Some(public_id),
        by.by_public_id,
        by.ip,
        Some(by.reason),
    )
    .await?;
    Ok(true)
}

/// Revokes every live session of the user except `keep` (all of them when `keep` is None).
/// Returns how many were ended.
pub async fn revoke_all_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    keep: Option<i64>,
    by: Revoker<'_>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2, revoked_by_session_id = $3 \
         WHERE user_id = $4 AND revoked_at IS NULL AND id <> $5",
    )
    .bind(now)
    .bind(by.reason)
    .bind(by.by_session_id)
    .bind(user_id)
    .bind(keep.unwrap_or(-1))
    .execute(&mut **tx)
    .await?;
    let ended = done.rows_affected();
    record_event_in(
        tx,
        now,
        "sessions_revoked",
        Some(user_id),
        None,
        by.by_public_id,
        by.ip,
        Some(&format!("{}: {ended}", by.reason)),
    )
    .await?;
    Ok(ended)
}

/// [`revoke_all_in`] in its own transaction.
pub async fn revoke_all(
    db: &Db,
    user_id: i64,
    keep: Option<i64>,
    by: Revoker<'_>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ended = revoke_all_in(&mut tx, user_id, keep, by, now).await?;
    tx.commit().await?;
    Ok(ended)
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

/// Marks a session as freshly authenticated (after the password was confirmed again).
pub async fn mark_authenticated(db: &Db, session_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET authenticated_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(session_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Appends to the audit trail inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn record_event_in(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    event: &str,
    user_id: Option<i64>,
    session_public_id: Option<&str>,
    actor_public_id: Option<&str>,
    ip: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_events (at, event, user_id, session_public_id, actor_public_id, ip, \
         detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now)
    .bind(event)
    .bind(user_id)
    .bind(session_public_id)
    .bind(actor_public_id)
    .bind(ip)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    tracing::info!(
        event,
        user_id,
        session = session_public_id,
        actor = actor_public_id,
        ip,
        detail,
        "auth event"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-23
    #[test]
    fn user_agent_is_lossy_capped_and_clean() {
        assert_eq!(clean_user_agent(b""), None);
        assert_eq!(clean_user_agent(b"  \t "), None);
        assert_eq!(
            clean_user_agent(b"curl/8\xff\xfe").as_deref(),
            Some("curl/8\u{fffd}\u{fffd}")
        );
        let long = "é".repeat(2000);
        let cut = clean_user_agent(long.as_bytes()).unwrap();
        assert!(cut.len() <= MAX_USER_AGENT_BYTES && cut.len() >= MAX_USER_AGENT_BYTES - 1);
        assert_eq!(clean_user_agent(b"a\nb\x1bc").as_deref(), Some("abc"));
    }
}
