//! WebAuthn ceremonies kept on the server: the state webauthn-rs needs to finish one is stored
//! under the SHA-256 of a random handle (the browser holds only the handle), for five minutes, and
//! taken once. Also the checks every finish shares: the relying party, the credential's JSON.

use crate::error::AppError;
use crate::factors::repository::passkeys::{self as repository, NewCeremony, TakenCeremony};
use crate::platform::ids::{SessionId, UserId};
use crate::platform::state::AppState;
use crate::sessions::token::SessionToken;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Any, Transaction};
use webauthn_rs::Webauthn;

/// How long a ceremony may take.
pub const CEREMONY_SECS: i64 = 5 * 60;

/// What a ceremony is for (`webauthn_ceremonies.purpose`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a passkey.
    Register,
    /// Signing in with a passkey.
    Login,
    /// Proving a passkey on a signed-in session.
    StepUp,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Login => "login",
            Self::StepUp => "step_up",
        }
    }
}

/// Who a ceremony was started for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Owner {
    /// The account, when known.
    pub user_id: Option<UserId>,
    /// The asking session, when signed in.
    pub session_id: Option<SessionId>,
}

/// The relying party, or the error saying passkeys are off on this server.
pub fn relying_party(state: &AppState) -> Result<&Webauthn, AppError> {
    state.webauthn.as_deref().ok_or_else(|| {
        AppError::invalid(
            "Passkeys are unavailable on this server: PUBLIC_URL must name it by a domain.",
        )
    })
}

/// Stores a ceremony's `ceremony_state`: the handle for the browser.
pub async fn store(
    state: &AppState,
    purpose: Purpose,
    owner: Owner,
    ceremony_state: &impl Serialize,
) -> Result<String, AppError> {
    let json = serde_json::to_string(ceremony_state).map_err(AppError::internal)?;
    let handle = SessionToken::generate();
    let now = state.now();
    let new = NewCeremony {
        handle_hash: &handle.hash().0,
        purpose: purpose.as_str(),
        user_id: owner.user_id,
        session_id: owner.session_id,
        state: &json,
        expires_at: now + CEREMONY_SECS,
    };
    repository::insert_ceremony(&state.db, new, now).await?;
    Ok(handle.expose().to_owned())
}

/// The refusal of a ceremony that is unknown, finished, expired or someone else's.
pub fn expired() -> AppError {
    AppError::invalid("This passkey request expired or was used already. Try again.")
}

/// Takes the live ceremony `handle` for `purpose` inside `tx` (at most once, SEC-55) and reads
/// its state; it must belong to `owner` where `owner` says who.
pub async fn take_in<S: DeserializeOwned>(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    handle: &str,
    purpose: Purpose,
    owner: Owner,
) -> Result<(TakenCeremony, S), AppError> {
    let handle = SessionToken::parse(handle).ok_or_else(expired)?;
    let taken = repository::take_ceremony_in(tx, &handle.hash().0, purpose.as_str(), state.now())
        .await?
        .ok_or_else(expired)?;
    let mine = owner.user_id.is_none_or(|id| taken.user_id == Some(id))
        && owner
            .session_id
            .is_none_or(|id| taken.session_id == Some(id));
    if !mine {
        return Err(expired());
    }
    let ceremony_state = serde_json::from_str(&taken.state).map_err(AppError::internal)?;
    Ok((taken, ceremony_state))
}

/// The browser's credential as webauthn-rs reads it, or a clear 400 (SEC-56).
pub fn credential<C: DeserializeOwned>(json: serde_json::Value) -> Result<C, AppError> {
    serde_json::from_value(json).map_err(|_| {
        AppError::invalid("The passkey's answer could not be read. Try again with a passkey.")
    })
}

/// Deletes ceremonies that expired (housekeeping).
pub async fn purge_ceremonies(state: &AppState) -> Result<u64, sqlx::Error> {
    repository::purge_ceremonies(&state.db, state.now()).await
}
