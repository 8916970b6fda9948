//! Checking a passkey assertion: signing in with a discoverable credential (no account named),
//! and proving one of the account's passkeys on a signed-in session (step-up, SEC-57). Each
//! takes its ceremony once; a refused assertion spends it all the same.

use super::ceremony::{self, Owner, Purpose};
use crate::error::AppError;
use crate::factors::repository::passkeys::{self as repository, StoredPasskey};
use crate::platform::ids::{PasskeyId, UnixTime, UserId};
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service as sessions;
use active_sessions_api::CeremonyStarted;
use sqlx::{Any, Transaction};
use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, Passkey, PasskeyAuthentication,
    PublicKeyCredential, WebauthnError,
};

fn options(value: impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(AppError::internal)
}

fn parse_stored(stored: &StoredPasskey) -> Result<Passkey, AppError> {
    serde_json::from_str(&stored.passkey).map_err(AppError::internal)
}

/// Starts signing in with a passkey (no account named: a discoverable credential).
pub async fn login_start(state: &AppState) -> Result<CeremonyStarted, AppError> {
    let webauthn = ceremony::relying_party(state)?;
    let (mut challenge, auth) = webauthn
        .start_discoverable_authentication()
        .map_err(|e| AppError::internal(e.to_string()))?;
    // A button starts this ceremony, not autofill: no conditional mediation.
    challenge.mediation = None;
    let handle = ceremony::store(state, Purpose::Login, Owner::default(), &auth).await?;
    Ok(CeremonyStarted {
        ceremony: handle,
        options: options(challenge)?,
    })
}

/// What a verified assertion proved.
#[derive(Debug, Clone, Copy)]
pub struct Asserted {
    /// The account.
    pub user_id: UserId,
    /// The passkey used.
    pub passkey_id: PasskeyId,
}

fn rejected() -> AppError {
    AppError::PasskeyRejected
}

/// Checks a sign-in assertion inside `tx`: the ceremony taken (once), the passkey found by its
/// credential id and user handle, the signature and user verification checked, its use
/// recorded. `Ok(Err(_))`: refused after the ceremony was spent (the caller commits `tx`).
pub async fn login_verify_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    handle: &str,
    credential: serde_json::Value,
) -> Result<Result<Asserted, AppError>, AppError> {
    let webauthn = ceremony::relying_party(state)?;
    let credential: PublicKeyCredential = ceremony::credential(credential)?;
    let (_, auth): (_, DiscoverableAuthentication) =
        ceremony::take_in(tx, state, handle, Purpose::Login, Owner::default()).await?;
    let Ok((user_handle, cred_id)) = webauthn.identify_discoverable_authentication(&credential)
    else {
        return Ok(Err(rejected()));
    };
    let Some(stored) = repository::find_for_login_in(tx, cred_id, user_handle.as_bytes()).await?
    else {
        return Ok(Err(rejected()));
    };
    let mut passkey = parse_stored(&stored)?;
    let result = webauthn.finish_discoverable_authentication_v2(&credential, auth, &passkey);
    record_use_in(tx, state, &stored, &mut passkey, result).await
}

async fn record_use_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    stored: &StoredPasskey,
    passkey: &mut Passkey,
    result: Result<AuthenticationResult, WebauthnError>,
) -> Result<Result<Asserted, AppError>, AppError> {
    let result = match result {
        Ok(result) if result.user_verified() && result.cred_id() == passkey.cred_id() => result,
        Ok(_) => return Ok(Err(rejected())),
        Err(e) => {
            tracing::info!(event = "passkey_assertion_failed", error = %e, "auth event");
            return Ok(Err(rejected()));
        }
    };
    let updated = match passkey.update_credential(&result) {
        Some(true) => Some(serde_json::to_string(&passkey).map_err(AppError::internal)?),
        _ => None,
    };
    repository::mark_used_in(tx, stored.id, updated.as_deref(), state.now()).await?;
    Ok(Ok(Asserted {
        user_id: stored.user_id,
        passkey_id: stored.id,
    }))
}

/// Starts proving one of the account's passkeys on the caller's session (step-up).
pub async fn step_up_start(state: &AppState, caller: &Caller) -> Result<CeremonyStarted, AppError> {
    let webauthn = ceremony::relying_party(state)?;
    let mut passkeys = Vec::new();
    for stored in repository::credentials_of(&state.db, caller.user_id).await? {
        passkeys.push(parse_stored(&stored)?);
    }
    if passkeys.is_empty() {
        return Err(AppError::invalid("This account has no passkey."));
    }
    let (challenge, auth) = webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| AppError::internal(e.to_string()))?;
    let owner = Owner {
        user_id: Some(caller.user_id),
        session_id: Some(caller.session_id),
    };
    let handle = ceremony::store(state, Purpose::StepUp, owner, &auth).await?;
    Ok(CeremonyStarted {
        ceremony: handle,
        options: options(challenge)?,
    })
}

/// Finishes a passkey step-up: the ceremony taken (once, only by the session that started it),
/// the assertion checked, and the session marked as having just proved a passkey (SEC-57).
#[tracing::instrument(skip_all, fields(user = %caller.user_id, session = %caller.public_id))]
pub async fn step_up_finish(
    state: &AppState,
    caller: &Caller,
    handle: &str,
    credential: serde_json::Value,
) -> Result<UnixTime, AppError> {
    let webauthn = ceremony::relying_party(state)?;
    let credential: PublicKeyCredential = ceremony::credential(credential)?;
    let owner = Owner {
        user_id: Some(caller.user_id),
        session_id: Some(caller.session_id),
    };
    let mut tx = state.db.begin_write().await?;
    let (_, auth): (_, PasskeyAuthentication) =
        ceremony::take_in(&mut tx, state, handle, Purpose::StepUp, owner).await?;
    let stored = repository::credentials_of_in(&mut tx, caller.user_id).await?;
    let result = webauthn.finish_passkey_authentication(&credential, &auth);
    let used = result.as_ref().ok().and_then(|r| {
        stored
            .iter()
            .find(|s| parse_stored(s).is_ok_and(|p| p.cred_id() == r.cred_id()))
    });
    let Some(used) = used.cloned() else {
        tx.commit().await?;
        return Err(rejected());
    };
    let mut passkey = parse_stored(&used)?;
    if let Err(e) = record_use_in(&mut tx, state, &used, &mut passkey, result).await? {
        tx.commit().await?;
        return Err(e);
    }
    let now = state.now();
    sessions::mark_factor_proved_in(
        &mut tx,
        caller,
        now,
        sessions::LaterFactor::Passkey,
        sessions::LaterProof::StepUp,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(event = "step_up_passkey", actor = %caller.public_id, "auth event");
    Ok(now)
}
