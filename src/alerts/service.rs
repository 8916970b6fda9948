//! The only way into the outbox and the not-me tokens: deciding whether a sign-in is alerted,
//! and what a not-me link shows and does.

use crate::alerts::factor_message::FactorEvent;
use crate::alerts::message::{self, Alert, utc_text};
use crate::alerts::model::{NotMeState, NotMeView};
use crate::alerts::{factor_message, outbox, repository};
use crate::auth::devices;
use crate::error::AppError;
use crate::platform::ids::UserId;
use crate::platform::state::AppState;
use crate::sessions::caller::Client;
use crate::sessions::client_info::{country_of, describe};
use crate::sessions::model::SessionKind;
use crate::sessions::repository::CreatedSession;
use crate::sessions::service::{self as sessions, EndTarget, EndedBy};
use crate::sessions::token::{SessionToken, random_bytes};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sqlx::{Any, Transaction};

/// How long a not-me link works.
pub const NOT_ME_LIFETIME_SECS: i64 = 7 * 24 * 3600;

/// A sign-in that may deserve an alert.
#[derive(Debug)]
pub struct SignIn<'a> {
    /// The account.
    pub user_id: UserId,
    /// The session just created.
    pub session: &'a CreatedSession,
    /// Browser or CLI.
    pub kind: SessionKind,
    /// Where it came from (user agent, address).
    pub client: &'a Client,
    /// A client the account has used before (a valid device cookie of the account); a
    /// redeemed CLI grant never is.
    pub known_client: bool,
}

/// Queues "New sign-in to your account" inside the sign-in's transaction when mail is set up,
/// the client is not known for the account and this is not the account's very first sign-in.
/// Returns whether a message was queued (then wake the sender after commit).
#[tracing::instrument(skip_all)]
pub async fn signed_in_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    sign_in: SignIn<'_>,
) -> Result<bool, sqlx::Error> {
    let (Some(_), Some(public_url)) = (&state.mailer, &state.config.public_url) else {
        return Ok(false);
    };
    if sign_in.known_client
        || !sessions::signed_in_before_in(tx, sign_in.user_id, sign_in.session).await?
    {
        return Ok(false);
    }
    let now = state.now();
    let token = repository::create_in(
        tx,
        sign_in.session.id,
        sign_in.user_id,
        now,
        now + NOT_ME_LIFETIME_SECS,
    )
    .await?;
    let described = describe(sign_in.client.user_agent.as_deref(), sign_in.kind);
    let ip = sign_in.client.ip_text();
    let country = ip.as_deref().and_then(country_of).map(|c| c.name);
    let key = format!("sign-in-{}", sign_in.session.public_id);
    let mail = message::new_sign_in(&Alert {
        device: &described.name,
        kind: match sign_in.kind {
            SessionKind::Web => "Browser",
            SessionKind::Cli => "Command-line (CLI)",
        },
        ip: ip.as_deref(),
        country: country.as_deref(),
        when: &utc_text(now),
        not_me_url: &public_url.link(&format!("/not-me/{}", token.expose())),
        sessions_url: &public_url.link("/settings/sessions"),
    });
    outbox::enqueue_in(tx, &key, sign_in.user_id, &mail, now).await?;
    Ok(true)
}

/// Queues "Two-step sign-in was turned on" (or "off") for `user_id` inside the transaction that
/// changed the factor, when mail is set up. Returns whether a message was queued (then wake the
/// sender after commit).
#[tracing::instrument(skip_all)]
pub async fn two_step_changed_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    user_id: UserId,
    turned_on: bool,
) -> Result<bool, sqlx::Error> {
    let event = if turned_on {
        FactorEvent::TurnedOn
    } else {
        FactorEvent::TurnedOff
    };
    factor_changed_in(tx, state, user_id, event).await
}

/// Queues "A passkey was added" (`added`) or "A passkey was removed" for `user_id` inside `tx`
/// (when mail is configured); whether it was queued.
pub async fn passkey_changed_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    user_id: UserId,
    added: bool,
) -> Result<bool, sqlx::Error> {
    let event = if added {
        FactorEvent::PasskeyAdded
    } else {
        FactorEvent::PasskeyRemoved
    };
    factor_changed_in(tx, state, user_id, event).await
}

async fn factor_changed_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    user_id: UserId,
    event: FactorEvent,
) -> Result<bool, sqlx::Error> {
    let (Some(_), Some(public_url)) = (&state.mailer, &state.config.public_url) else {
        return Ok(false);
    };
    let now = state.now();
    let mail = factor_message::two_step_changed(&factor_message::FactorChange {
        event,
        when: &utc_text(now),
        security_url: &public_url.link("/settings/security"),
        password_url: &public_url.link("/settings/password"),
    });
    let word = match event {
        FactorEvent::TurnedOn => "on",
        FactorEvent::TurnedOff => "off",
        FactorEvent::PasskeyAdded => "passkey",
        FactorEvent::PasskeyRemoved => "passkey-removed",
    };
    let nonce = URL_SAFE_NO_PAD.encode(random_bytes::<9>());
    let key = format!("two-step-{word}-{user_id}-{}-{nonce}", now.0);
    outbox::enqueue_in(tx, &key, user_id, &mail, now).await?;
    Ok(true)
}

/// Budget for not-me lookups per address: the tokens cannot be guessed, but nobody gets to try.
async fn limit(state: &AppState, client: &Client) -> Result<(), AppError> {
    state
        .grant_limiter
        .hit(&format!("not_me:{}", client.rate_key()), state.now())
        .await
        .map_err(AppError::from)
}

/// What a not-me link shows. Malformed, unknown and purged tokens alike are `NotFound`; the
/// view names only the one session (SEC-03: nothing else about the account).
#[tracing::instrument(skip_all)]
pub async fn view(state: &AppState, client: &Client, raw: &str) -> Result<NotMeView, AppError> {
    limit(state, client).await?;
    let hash = SessionToken::parse(raw).ok_or(AppError::NotFound)?.hash();
    let row = repository::find(&state.db, &hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = sessions::facts(&state.db, row.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let state_now = state.now();
    // The link can still act while its session is live or its browser is still known.
    let browser_known = match facts.device {
        Some(device) => !device.revoked,
        None => false,
    };
    let link_state = if row.used_at.is_some() {
        NotMeState::Used
    } else if facts.ended_at.is_some() && !browser_known {
        NotMeState::AlreadyEnded
    } else if row.expires_at <= state_now {
        NotMeState::Expired
    } else {
        NotMeState::Open
    };
    Ok(NotMeView {
        state: link_state,
        device: facts.name,
        place: match (facts.ip, facts.country) {
            (Some(ip), Some(country)) => format!("{ip} · {country}"),
            (Some(ip), None) => ip,
            (None, _) => "unknown address".to_owned(),
        },
        signed_in_at: utc_text(facts.created_at),
        ended_at: facts.ended_at.map(utc_text),
        ended_sessions: row.ended_sessions.map(|n| n.max(0) as u64),
    })
}

/// Uses a not-me link: ends its session and every live session its browser signed in as since,
/// forgets that browser, and spends the token, in one transaction (SEC-40). A used or expired
/// link, or one with nothing left to end, changes nothing and says so through the view.
#[tracing::instrument(skip_all)]
pub async fn sign_out(state: &AppState, client: &Client, raw: &str) -> Result<NotMeView, AppError> {
    limit(state, client).await?;
    let hash = SessionToken::parse(raw).ok_or(AppError::NotFound)?.hash();
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    if let Some((session_id, user_id)) = repository::use_in(&mut tx, &hash, now).await? {
        let target = EndTarget::Id(session_id);
        let done = devices::end_browser_in(&mut tx, user_id, target, EndedBy::System, now).await?;
        if done.ended.count == 0 && !done.device_revoked {
            // Ended meanwhile some other way, browser already forgotten: the link stays unused.
            tx.rollback().await?;
            return view(state, client, raw).await;
        }
        repository::set_ended_in(&mut tx, &hash, done.ended.count).await?;
        tx.commit().await?;
        tracing::info!(
            event = "not_me_sign_out",
            user_id = %user_id,
            ended = done.ended.count,
            device_revoked = done.device_revoked,
            ip = ?client.ip,
            "auth event"
        );
    } else {
        tx.rollback().await?;
    }
    view(state, client, raw).await
}
