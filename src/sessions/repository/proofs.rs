//! Password proofs on a session: the token rotation of a password change, when it last proved
//! the password (what a CLI session it approves inherits), and failed re-authentications.

use super::LiveAt;
use super::create::Proved;
use crate::platform::db::Db;
use crate::platform::ids::{SessionId, UnixTime, UserId};
use crate::sessions::token::SessionToken;
use sqlx::{Any, Transaction};

/// Replaces the token of a live session (password change), marking it freshly authenticated.
pub async fn rotate_token_in(
    tx: &mut Transaction<'static, Any>,
    session_id: SessionId,
    now: UnixTime,
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

/// When the live session `session_id` last proved the password, and what it proved at sign-in
/// (`mfa_factors`), inside `tx`; `None` if it has ended (revoked, expired or idle).
pub async fn live_authenticated_at_in(
    tx: &mut Transaction<'static, Any>,
    session_id: SessionId,
    live: LiveAt,
) -> Result<Option<(Proved, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        proved: Proved,
        mfa_factors: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT authenticated_at, totp_proved_at, passkey_proved_at, mfa_factors FROM sessions \
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3",
    )
    .bind(session_id)
    .bind(live.now)
    .bind(live.used_after())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.proved, r.mfa_factors)))
}

/// The assurance level of session `session_id` (1: one factor, 2: two); `None` if it is gone.
pub async fn assurance_level_of(
    db: &Db,
    session_id: SessionId,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT assurance_level FROM sessions WHERE id = $1")
        .bind(session_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(level,)| level))
}

/// Counts a failed re-authentication on session `session_id` (shown on the owner's page).
pub async fn record_reauth_failure(
    db: &Db,
    session_id: SessionId,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
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
pub async fn mark_authenticated(
    db: &Db,
    session_id: SessionId,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET authenticated_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(session_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The `SET` clauses that raise a session which had proved the password alone to two factors,
/// the password and `$factor` (level 2, `mfa_updated_at` = `$1`); other sessions keep theirs.
macro_rules! raise_password_only {
    ($factor:literal) => {
        concat!(
            "mfa_factors = CASE WHEN mfa_factors = '[\"password\"]' ",
            "THEN '[\"password\",\"",
            $factor,
            "\"]' ELSE mfa_factors END, ",
            "mfa_updated_at = CASE WHEN mfa_factors = '[\"password\"]' ",
            "THEN $1 ELSE mfa_updated_at END, ",
            "assurance_level = CASE WHEN mfa_factors = '[\"password\"]' ",
            "THEN 2 ELSE assurance_level END"
        )
    };
}

/// How a session proved a second factor (the authenticator app or a passkey) after it signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaterProof {
    /// It turned the app on with a code from it, or added a passkey: fresh for step-up, but it
    /// still signed in with the password alone (so "Sign out sessions without two-step" still
    /// counts it).
    Enrolment,
    /// A step-up with a factor the account already had: a session that had proved the password
    /// alone has now proved two factors, and says so (`password` and `totp` or `webauthn`, level
    /// 2, `mfa_updated_at` now), as Kratos raises a session's assurance level after a second
    /// factor.
    StepUp,
}

/// Which second factor a session proved after it signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaterFactor {
    /// A code from the authenticator app (`totp_proved_at`).
    Totp,
    /// A passkey (`passkey_proved_at`).
    Passkey,
}

/// Records inside `tx` that live session `session_id` just proved `factor` (`how`).
pub async fn mark_factor_proved_in(
    tx: &mut Transaction<'static, Any>,
    session_id: SessionId,
    now: UnixTime,
    factor: LaterFactor,
    how: LaterProof,
) -> Result<(), sqlx::Error> {
    macro_rules! mark {
        ($column:literal $(, $raise:expr)?) => {
            concat!(
                "UPDATE sessions SET ", $column, " = $1",
                $(", ", $raise,)?
                " WHERE id = $2 AND revoked_at IS NULL"
            )
        };
    }
    let sql = match (factor, how) {
        (LaterFactor::Totp, LaterProof::Enrolment) => mark!("totp_proved_at"),
        (LaterFactor::Totp, LaterProof::StepUp) => {
            mark!("totp_proved_at", raise_password_only!("totp"))
        }
        (LaterFactor::Passkey, LaterProof::Enrolment) => mark!("passkey_proved_at"),
        (LaterFactor::Passkey, LaterProof::StepUp) => {
            mark!("passkey_proved_at", raise_password_only!("webauthn"))
        }
    };
    sqlx::query(sql)
        .bind(now)
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The account's authenticator app is gone (with its recovery codes): its live sessions that
/// proved either drop to what they still prove (the password, level 1), and none counts as
/// having proved the app for step-up, inside `tx`. Sessions that proved a passkey instead keep
/// it. How many changed.
pub async fn drop_second_factor_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET \
         mfa_factors = CASE WHEN mfa_factors LIKE '%\"totp\"%' \
          OR mfa_factors LIKE '%\"recovery_code\"%' THEN '[\"password\"]' ELSE mfa_factors END, \
         assurance_level = CASE WHEN mfa_factors LIKE '%\"totp\"%' \
          OR mfa_factors LIKE '%\"recovery_code\"%' THEN 1 ELSE assurance_level END, \
         mfa_updated_at = CASE WHEN mfa_factors LIKE '%\"totp\"%' \
          OR mfa_factors LIKE '%\"recovery_code\"%' THEN $2 ELSE mfa_updated_at END, \
         totp_proved_at = NULL \
         WHERE user_id = $1 AND revoked_at IS NULL \
         AND (mfa_factors LIKE '%\"totp\"%' OR mfa_factors LIKE '%\"recovery_code\"%' \
          OR totp_proved_at IS NOT NULL)",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// The account's last passkey is gone, inside `tx`: none of its sessions counts as having proved
/// one for step-up any more, and its live sessions that proved one drop to what they still prove
/// (a password and a passkey: the password; a passkey alone: nothing more than one step, level 1,
/// so "Sign out sessions without two-step" counts them). How many dropped.
pub async fn drop_passkey_proofs_in(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    now: UnixTime,
) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE sessions SET passkey_proved_at = NULL WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query(
        "UPDATE sessions SET \
         mfa_factors = CASE WHEN mfa_factors LIKE '%\"password\"%' THEN '[\"password\"]' \
          ELSE mfa_factors END, \
         assurance_level = 1, mfa_updated_at = $2 \
         WHERE user_id = $1 AND revoked_at IS NULL AND mfa_factors LIKE '%\"webauthn\"%'",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
