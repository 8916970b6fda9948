//! The outbox: messages written in the same transaction as what they report, claimed by a
//! sender with a lease, sent, then marked sent (bodies wiped) and purged after a week.
//!
//! Claiming is one `UPDATE … RETURNING` that re-checks the row is still unsent and unleased, so
//! two senders never hold the same message; on PostgreSQL the candidate row is picked `FOR UPDATE
//! SKIP LOCKED` so several app instances claim different messages without waiting on each other.
//! A sender that dies holding a lease leaves the message to be claimed again once it expires.

use crate::alerts::message::Composed;
use crate::platform::db::Db;
use crate::platform::ids::{UnixTime, UserId};
use sqlx::{Any, Transaction};

/// A claimed message.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    /// Row id.
    pub id: i64,
    /// Idempotency key (also the `Message-ID`'s local part).
    pub idempotency_key: String,
    /// The account it is for.
    pub user_id: UserId,
    /// Subject.
    pub subject: String,
    /// Text part.
    pub text_body: String,
    /// HTML part.
    pub html_body: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// Queues `mail` for `user_id` inside `tx`; a second message with the same `key` is ignored.
pub async fn enqueue_in(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    user_id: UserId,
    mail: &Composed,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_outbox (idempotency_key, user_id, subject, text_body, html_body, \
         created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(key)
    .bind(user_id)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE mail_outbox SET locked_until = $1, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM mail_outbox WHERE sent_at IS NULL \
             AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until <= $2) \
             ORDER BY next_attempt_at, id LIMIT 1",
            $lock,
            ") AND sent_at IS NULL AND (locked_until IS NULL OR locked_until <= $2) \
             RETURNING id, idempotency_key, user_id, subject, text_body, html_body, attempts"
        )
    };
}

/// Claims the next due message until `lease_until`, if any.
pub async fn claim(
    db: &Db,
    now: UnixTime,
    lease_until: UnixTime,
) -> Result<Option<Claimed>, sqlx::Error> {
    let sql = if db.is_postgres() {
        claim_sql!(" FOR UPDATE SKIP LOCKED")
    } else {
        claim_sql!("")
    };
    sqlx::query_as(sql)
        .bind(lease_until)
        .bind(now)
        .fetch_optional(db.pool())
        .await
}

/// The address of the account a message is for (read when sending, so a changed address is
/// used; `None` if the account is gone).
pub async fn recipient(db: &Db, user_id: UserId) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(email,)| email))
}

/// Marks a message sent and wipes its bodies (they hold the not-me link).
pub async fn mark_sent(db: &Db, id: i64, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox SET sent_at = $2, locked_until = NULL, last_error = NULL, \
         text_body = '', html_body = '' WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Releases a message after a failed attempt, to be tried again at `retry_at`.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox SET locked_until = NULL, last_error = $2, next_attempt_at = $3 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Deletes a message that cannot be sent (its account is gone).
pub async fn drop_message(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mail_outbox WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes messages sent before `sent_before`, and unsent ones created before `given_up_before`
/// (their link has expired anyway). Returns (sent purged, unsent given up).
pub async fn purge(
    db: &Db,
    sent_before: UnixTime,
    given_up_before: UnixTime,
) -> Result<(u64, u64), sqlx::Error> {
    let sent = sqlx::query("DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(sent_before)
        .execute(db.pool())
        .await?
        .rows_affected();
    let given_up = sqlx::query("DELETE FROM mail_outbox WHERE sent_at IS NULL AND created_at < $1")
        .bind(given_up_before)
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok((sent, given_up))
}
