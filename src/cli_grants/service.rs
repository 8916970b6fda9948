//! The CLI sign-in flow: start a grant, let a signed-in person approve or deny it, redeem it for
//! a `cli` session. The only way into the grants repository (SEC-31).

use crate::alerts::service as alerts;
use crate::cli_grants::model::{GrantStatus, GrantView};
use crate::cli_grants::{code, repository};
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, Client};
use crate::sessions::repository::CreatedSession;
use crate::sessions::service::{self as sessions, Start};
use crate::sessions::token::SessionToken;
use crate::sessions::{client_info, model::SessionKind, presenter::rfc3339};

// Denying the approved, unredeemed grants of an account inside the caller's transaction (what
// password change, "sign out all other sessions" and disabling the account do) is one statement.
pub use crate::cli_grants::repository::{RedeemRefusal, deny_unredeemed_in};

/// Seconds a grant stays valid.
pub const GRANT_LIFETIME_SECS: i64 = 600;
/// Seconds the CLI should wait between redeem attempts.
pub const POLL_INTERVAL_SECS: i64 = 2;

/// A grant just started: the secret device code and the code the person confirms.
#[derive(Debug)]
pub struct Started {
    /// The secret the CLI redeems with.
    pub device_code: SessionToken,
    /// `XXXX-XXXX`.
    pub user_code: String,
}

async fn limit(state: &AppState, key: String) -> Result<(), AppError> {
    state
        .grant_limiter
        .hit(&key, state.now())
        .await
        .map_err(AppError::from)
}

/// Starts a grant for `client` (budgeted per address).
#[tracing::instrument(skip_all)]
pub async fn start(state: &AppState, client: &Client) -> Result<Started, AppError> {
    let ip = client.ip_text();
    limit(state, format!("start:{}", client.rate_key())).await?;
    let now = state.now();
    let device_code = SessionToken::generate();
    let mut user_code = code::generate();
    // A clash with a live code is astronomically rare; try a few fresh codes before giving up.
    let mut attempts = 0;
    loop {
        let new = repository::NewGrant {
            device_code: &device_code,
            user_code: &user_code,
            user_agent: client.user_agent.as_deref(),
            ip: ip.as_deref(),
            now,
            expires_at: now + GRANT_LIFETIME_SECS,
        };
        match repository::create(&state.db, new).await {
            Ok(()) => break,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && attempts < 3 => {
                attempts += 1;
                user_code = code::generate();
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Started {
        device_code,
        user_code,
    })
}

/// The grant with this user code, as the signed-in approver sees it (lookups budgeted per
/// account so codes cannot be enumerated).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn view(state: &AppState, caller: &Caller, code: &str) -> Result<GrantView, AppError> {
    limit(state, format!("lookup:{}", caller.user_id)).await?;
    let now = state.now();
    let code = code::normalise(code).ok_or(AppError::NotFound)?;
    let row = repository::find_by_user_code(&state.db, &code, now)
        .await?
        .filter(|r| r.redeemed_at.is_none() || r.approved_at.is_some())
        .ok_or(AppError::NotFound)?;
    let described = client_info::describe(row.user_agent.as_deref(), SessionKind::Cli);
    Ok(GrantView {
        user_code: row.user_code,
        client_name: described.name,
        country: row
            .ip
            .as_deref()
            .and_then(client_info::country_of)
            .map(|c| c.name),
        user_agent: row.user_agent,
        ip: row.ip,
        requested_at: rfc3339(row.created_at),
        requested_at_unix: row.created_at.0,
        expires_at_unix: row.expires_at.0,
        reauth_required: sessions::needs_reauth(state, caller),
        code_required: caller.has_totp,
        passkey_required: sessions::needs_passkey(state, caller),
        status: match (row.approved_at, row.denied_at) {
            (Some(_), _) => GrantStatus::Approved,
            (_, Some(_)) => GrantStatus::Denied,
            _ => GrantStatus::Pending,
        },
        now: now.0,
    })
}

/// Approves (`approve = true`) or denies a pending grant; returns the normalised code.
/// Approving needs a sign-in within the re-authentication window (a stale or stolen session
/// cannot mint fresh CLI sessions). Both are budgeted per session, not per account, so no other
/// session can spend the owner's approvals (SEC-41); denying is budgeted too, or it would be a
/// free oracle for pending codes (SEC-31).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    code: &str,
    approve: bool,
) -> Result<String, AppError> {
    let code = code::normalise(code).ok_or(AppError::NotFound)?;
    if approve && sessions::needs_reauth(state, caller) {
        return Err(sessions::reauth_refusal(caller));
    }
    state
        .approval_limiter
        .hit(
            &format!("decide:session:{}", caller.session_id),
            state.now(),
        )
        .await?;
    let by = repository::Decider {
        user_id: caller.user_id,
        session_id: caller.session_id,
    };
    if !repository::decide(&state.db, &code, by, approve, state.now()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        event = if approve { "cli_grant_approved" } else { "cli_grant_denied" },
        user_id = %caller.user_id,
        actor = %caller.public_id,
        "auth event"
    );
    Ok(code)
}

/// Exchanges an approved grant for a `cli` session token, once (budgeted per address).
#[tracing::instrument(skip_all)]
pub async fn redeem(
    state: &AppState,
    client: &Client,
    device_code: &str,
) -> Result<CreatedSession, AppError> {
    limit(state, format!("redeem:{}", client.rate_key())).await?;
    let hash = SessionToken::parse(device_code)
        .ok_or(AppError::InvalidGrant)?
        .hash();
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    // The account first, as a password change or "sign out all others" does: either that ends
    // this CLI session after it commits, or this sees its approver ended (no interleaving).
    if let Some(user_id) = repository::approver_in(&mut tx, &hash).await? {
        crate::users::service::lock_in(&mut tx, user_id).await?;
    }
    let Some(claim) = repository::claim_in(&mut tx, &hash, now).await? else {
        tx.rollback().await?;
        return Err(match repository::refusal(&state.db, &hash, now).await? {
            RedeemRefusal::Pending => AppError::AuthorizationPending,
            RedeemRefusal::Denied => AppError::AccessDenied,
            RedeemRefusal::Expired => AppError::ExpiredToken,
            RedeemRefusal::Invalid => AppError::InvalidGrant,
        });
    };
    // Redeemable only while the approving session is live; the CLI session inherits its last
    // password proof, so it is never fresher than the browser that approved it.
    let approver = match claim.approved_by_session_id {
        Some(id) => sessions::live_authenticated_at_in(&mut tx, state, id).await?,
        None => None,
    };
    let Some((proved, proofs)) = approver else {
        repository::deny_in(&mut tx, claim.grant_id, now).await?;
        tx.commit().await?;
        return Err(AppError::AccessDenied);
    };
    // The session belongs to the requester's address and user agent as stored at start.
    let requester = Client {
        ip: claim.ip.as_deref().and_then(|ip| ip.parse().ok()),
        user_agent: claim.user_agent,
    };
    let start = Start {
        user_id: claim.user_id,
        kind: SessionKind::Cli,
        sign_in_method: "cli",
        client: &requester,
        inherited: Some(proved),
        device_id: None,
        proofs: &proofs,
    };
    let created = sessions::start_in(&mut tx, state, start).await?;
    repository::link_session_in(&mut tx, claim.grant_id, created.id).await?;
    // Every redeemed grant is a new client for the account.
    let sign_in = alerts::SignIn {
        user_id: claim.user_id,
        session: &created,
        kind: SessionKind::Cli,
        client: &requester,
        known_client: false,
    };
    let queued = alerts::signed_in_in(&mut tx, state, sign_in).await?;
    crate::platform::failpoint::hit("redeem_before_commit");
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(created)
}
