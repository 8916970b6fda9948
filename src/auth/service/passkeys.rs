//! Passkeys in the sign-in flow (issue 23): signing in with one alone (a discoverable credential,
//! no email; it also finishes a pending second step), and adding or removing one, which may sign
//! out every other session and sends the alert "A passkey was added" (or "… removed").

use super::finish::{Finish, finish_in};
use super::login::{SignedIn, reserve};
use super::sign_out::end_others_in;
use crate::alerts::service as alerts;
use crate::auth::devices;
use crate::error::AppError;
use crate::factors::service::{self as factors, Registration};
use crate::platform::ids::PasskeyId;
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, Client};
use crate::sessions::client_info;
use crate::sessions::model::{Proof, SessionKind};
use crate::sessions::service::EndReason;
use crate::sessions::token::SessionToken;

/// A passkey sign-in to finish.
#[derive(Debug)]
pub struct PasskeySignIn<'a> {
    /// The ceremony handle from `…/login/start`.
    pub ceremony: &'a str,
    /// The browser's assertion.
    pub credential: serde_json::Value,
    /// The browser's pending second step (password proved), if any: the passkey finishes it.
    pub pending: Option<&'a str>,
    /// The browser's device cookie, if any.
    pub device: Option<&'a SessionToken>,
}

/// Signs in with a passkey and starts a browser session (sign-in method `passkey`, factor
/// `webauthn`, level 2), ending the one the browser had (`previous`). A refused assertion counts
/// as a failed sign-in of the address (SEC-29); its ceremony is spent either way (SEC-55).
#[tracing::instrument(skip_all)]
pub async fn sign_in_with_passkey<P: Future<Output = Option<Caller>>>(
    state: &AppState,
    client: &Client,
    previous: impl FnOnce() -> P,
    sign_in: PasskeySignIn<'_>,
) -> Result<SignedIn, AppError> {
    let attempt = reserve(state, vec![format!("ip:{}", client.rate_key())]).await?;
    // Looked up before the write transaction: on SQLite the lookup may write (touch, or end an
    // idle session) on another connection, which would wait for this transaction's lock.
    let previous = previous().await;
    let mut tx = state.db.begin_write().await?;
    let verified =
        factors::login_verify_in(&mut tx, state, sign_in.ceremony, sign_in.credential).await;
    let asserted = match verified {
        Ok(Ok(asserted)) => asserted,
        Ok(Err(refused)) => {
            tx.commit().await?;
            attempt.failed().await;
            tracing::info!(event = "passkey_login_failed", ip = ?client.ip, "auth event");
            return Err(refused);
        }
        Err(e) => {
            drop(tx);
            attempt.succeeded().await;
            return Err(e);
        }
    };
    let pending = match sign_in.pending.and_then(SessionToken::parse) {
        Some(token) => factors::take_pending_in(&mut tx, state, &token)
            .await?
            .filter(|p| p.user_id == asserted.user_id),
        None => None,
    };
    let known_device = match (&pending, sign_in.device) {
        (Some(pending), _) => pending.device_id,
        (None, Some(device)) => devices::find(&state.db, device, asserted.user_id).await?,
        (None, None) => None,
    };
    let finish = Finish {
        user_id: asserted.user_id,
        known_device,
        client,
        proofs: &[Proof::Webauthn],
        method: "passkey",
    };
    let signed_in = finish_in(tx, state, finish, previous.as_ref()).await?;
    attempt.succeeded().await;
    if let Some(pending) = pending {
        super::second_step::forget_password_step(state, &pending).await;
    }
    tracing::info!(event = "passkey_login", user = %asserted.user_id, "auth event");
    Ok(signed_in)
}

/// A passkey to add, as the browser sent it.
#[derive(Debug)]
pub struct AddPasskey<'a> {
    /// The ceremony handle from `…/register/start`.
    pub ceremony: &'a str,
    /// The browser's new credential.
    pub credential: serde_json::Value,
    /// The name asked for (default: this device's name, as the sessions page shows it).
    pub name: Option<&'a str>,
    /// "Also sign out every other session".
    pub sign_out_others: bool,
}

/// A passkey added: its id, how many other sessions ended, and the recovery codes made with it
/// when it is the account's first second factor.
#[derive(Debug)]
pub struct PasskeyAdded {
    /// The new passkey.
    pub id: PasskeyId,
    /// How many other sessions ended ("Also sign out every other session").
    pub ended: u64,
    /// Recovery codes to show once (`factors::PasskeyAdded`).
    pub recovery_codes: Option<Vec<String>>,
}

/// Adds a passkey to the caller's account: the ceremony taken once, the credential verified and
/// stored (with recovery codes if it is the first second factor), the alert queued and, when
/// asked, every other session ended, in one transaction.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn add_passkey(
    state: &AppState,
    caller: &Caller,
    client: &Client,
    add: AddPasskey<'_>,
) -> Result<PasskeyAdded, AppError> {
    let device = client_info::describe(client.user_agent.as_deref(), SessionKind::Web);
    let name = factors::passkey_name(add.name, &device.name)?;
    let mut tx = state.db.begin_write().await?;
    let registration = Registration {
        ceremony: add.ceremony,
        credential: add.credential,
        name: &name,
    };
    let added = match factors::register_finish_in(&mut tx, state, caller, registration).await? {
        Ok(added) => added,
        Err(refused) => {
            tx.commit().await?;
            return Err(refused);
        }
    };
    let ended = if add.sign_out_others {
        let now = state.now();
        end_others_in(&mut tx, caller, EndReason::RevokedOthers, now)
            .await?
            .count
    } else {
        0
    };
    let queued = alerts::passkey_changed_in(&mut tx, state, caller.user_id, true).await?;
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(PasskeyAdded {
        id: added.id,
        ended,
        recovery_codes: added.recovery_codes,
    })
}

/// Removes one of the caller's passkeys (step-up first); how many other sessions ended.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn remove_passkey(
    state: &AppState,
    caller: &Caller,
    id: PasskeyId,
    sign_out_others: bool,
) -> Result<u64, AppError> {
    let mut tx = state.db.begin_write().await?;
    factors::remove_passkey_in(&mut tx, state, caller, id).await?;
    let ended = if sign_out_others {
        let now = state.now();
        end_others_in(&mut tx, caller, EndReason::RevokedOthers, now)
            .await?
            .count
    } else {
        0
    };
    let queued = alerts::passkey_changed_in(&mut tx, state, caller.user_id, false).await?;
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(ended)
}
