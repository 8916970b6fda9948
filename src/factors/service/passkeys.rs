//! Passkeys of an account: adding one (a registration ceremony, after step-up), listing and
//! removing them (assertions: `assertion`). The ceremonies' state
//! stays on the server (`ceremony`); only verified credentials are stored.

use super::ceremony::{self, Owner, Purpose};
use crate::error::AppError;
use crate::factors::model::PasskeyInfo;
use crate::factors::recovery;
use crate::factors::repository::passkeys::{self as repository, NewPasskey, StoredPasskey};
use crate::factors::repository::{self as factors, delete_pending_of_in};
use crate::platform::ids::{PasskeyId, UserId};
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service as sessions;
use crate::users::service as users;
use active_sessions_api::CeremonyStarted;
use sqlx::{Any, Transaction};
use webauthn_rs::prelude::{Passkey, PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

/// Longest passkey name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// A sensitive action on the caller's session needs a fresh proof first (step-up, SEC-57).
fn require_step_up(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if sessions::needs_reauth(state, caller) {
        return Err(sessions::reauth_refusal(caller));
    }
    Ok(())
}

/// A passkey's name: trimmed, no control characters, at most [`MAX_NAME_CHARS`]; empty means
/// `fallback`.
pub fn passkey_name(name: Option<&str>, fallback: &str) -> Result<String, AppError> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(fallback);
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(format!(
            "A passkey's name has at most {MAX_NAME_CHARS} characters."
        )));
    }
    if name
        .chars()
        .any(|c| !crate::sessions::caller::is_displayable(c))
    {
        return Err(AppError::invalid(
            "A passkey's name cannot contain control characters.",
        ));
    }
    Ok(name.to_owned())
}

fn options(value: impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(AppError::internal)
}

fn parse_stored(stored: &StoredPasskey) -> Result<Passkey, AppError> {
    serde_json::from_str(&stored.passkey).map_err(AppError::internal)
}

/// The caller's passkeys, for the security page.
pub async fn list(state: &AppState, user_id: UserId) -> Result<Vec<PasskeyInfo>, AppError> {
    let rows = repository::list(&state.db, user_id).await?;
    Ok(rows.into_iter().map(PasskeyInfo::from).collect())
}

/// Starts adding a passkey to the caller's account (step-up first): the options for
/// `navigator.credentials.create`.
#[tracing::instrument(skip_all, fields(user = %caller.user_id, session = %caller.public_id))]
pub async fn register_start(
    state: &AppState,
    caller: &Caller,
) -> Result<CeremonyStarted, AppError> {
    let webauthn = ceremony::relying_party(state)?;
    require_step_up(state, caller)?;
    let user = users::find_by_id(&state.db, caller.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let fresh = Uuid::new_v4();
    let handle = repository::ensure_handle(&state.db, caller.user_id, fresh.as_bytes())
        .await?
        .and_then(|h| Uuid::from_slice(&h).ok())
        .ok_or_else(|| AppError::internal("the account has no usable user handle"))?;
    let mut exclude = Vec::new();
    for stored in repository::credentials_of(&state.db, caller.user_id).await? {
        exclude.push(parse_stored(&stored)?.cred_id().clone());
    }
    let (challenge, registration) = webauthn
        .start_passkey_registration(handle, &user.email, &user.email, Some(exclude))
        .map_err(|e| AppError::internal(e.to_string()))?;
    let owner = Owner {
        user_id: Some(caller.user_id),
        session_id: Some(caller.session_id),
    };
    let handle = ceremony::store(state, Purpose::Register, owner, &registration).await?;
    Ok(CeremonyStarted {
        ceremony: handle,
        options: options(challenge)?,
    })
}

/// A registration to finish.
#[derive(Debug)]
pub struct Registration<'a> {
    /// The ceremony handle.
    pub ceremony: &'a str,
    /// The browser's credential.
    pub credential: serde_json::Value,
    /// The passkey's name, already checked.
    pub name: &'a str,
}

/// A passkey just added.
#[derive(Debug)]
pub struct Added {
    /// Its id.
    pub id: PasskeyId,
    /// Recovery codes made with it, to show once: it is the account's first second factor, so
    /// from now on signing in asks for it (or one of these) after the password.
    pub recovery_codes: Option<Vec<String>>,
}

/// Finishes adding a passkey inside `tx`: the ceremony is taken (once), the credential verified
/// and stored, and the caller's session counts as having just proved it. The first second factor
/// of an account comes with recovery codes (on a server with `SECRETS_KEY`), which turns two-step
/// sign-in on. A credential that does not verify stores nothing; its ceremony is spent all the
/// same (the caller commits `tx`).
pub async fn register_finish_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    caller: &Caller,
    registration: Registration<'_>,
) -> Result<Result<Added, AppError>, AppError> {
    let webauthn = ceremony::relying_party(state)?;
    let credential: RegisterPublicKeyCredential = ceremony::credential(registration.credential)?;
    let owner = Owner {
        user_id: Some(caller.user_id),
        session_id: Some(caller.session_id),
    };
    let (_, reg_state): (_, PasskeyRegistration) =
        ceremony::take_in(tx, state, registration.ceremony, Purpose::Register, owner).await?;
    let passkey = match webauthn.finish_passkey_registration(&credential, &reg_state) {
        Ok(passkey) => passkey,
        Err(e) => {
            tracing::info!(event = "passkey_register_failed", error = %e, "auth event");
            return Ok(Err(AppError::invalid(
                "The passkey could not be verified, so it was not added. Try again.",
            )));
        }
    };
    let json = serde_json::to_string(&passkey).map_err(AppError::internal)?;
    let new = NewPasskey {
        user_id: caller.user_id,
        credential_id: passkey.cred_id(),
        passkey: &json,
        name: registration.name,
    };
    let now = state.now();
    // Factor changes of one account take its row first, so two of them (a passkey added while
    // another is, or while the app is turned on) see each other's result on PostgreSQL too.
    users::lock_in(tx, caller.user_id).await?;
    let before = factors::factors_of_in(tx, caller.user_id).await?;
    let Some(id) = repository::insert_in(tx, new, now).await? else {
        return Ok(Err(AppError::invalid("This passkey was added already.")));
    };
    let recovery_codes = match &state.config.secrets_key {
        Some(key) if !before.two_step(true) => {
            let codes = recovery::new_set();
            let hashes = recovery::hashes(key, caller.user_id, &codes);
            factors::replace_recovery_codes_in(tx, caller.user_id, &hashes, now).await?;
            Some(codes)
        }
        _ => None,
    };
    sessions::mark_factor_proved_in(
        tx,
        caller,
        now,
        sessions::LaterFactor::Passkey,
        sessions::LaterProof::Enrolment,
    )
    .await?;
    tracing::info!(event = "passkey_added", user = %caller.user_id, "auth event");
    Ok(Ok(Added { id, recovery_codes }))
}

/// Removes passkey `id` of the caller inside `tx` (step-up first); when it was the last one,
/// no session of the account counts as having proved a passkey any more, and without an
/// authenticator app the account is back to one step: its recovery codes, the sessions that
/// proved one and any password step waiting for a second go.
pub async fn remove_in(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    caller: &Caller,
    id: PasskeyId,
) -> Result<(), AppError> {
    require_step_up(state, caller)?;
    users::lock_in(tx, caller.user_id).await?;
    if !repository::delete_in(tx, caller.user_id, id).await? {
        return Err(AppError::NotFound);
    }
    let left = factors::factors_of_in(tx, caller.user_id).await?;
    if left.passkeys == 0 {
        sessions::drop_passkey_proofs_in(tx, caller.user_id, state.now()).await?;
        if left.totp == 0 {
            factors::delete_recovery_codes_in(tx, caller.user_id).await?;
            sessions::drop_second_factor_in(tx, caller.user_id, state.now()).await?;
            delete_pending_of_in(tx, caller.user_id).await?;
        }
    }
    tracing::info!(event = "passkey_removed", user = %caller.user_id, "auth event");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_capped_and_printable_else_the_device_name() {
        assert_eq!(
            passkey_name(Some("  Work laptop "), "Firefox").unwrap(),
            "Work laptop"
        );
        assert_eq!(
            passkey_name(Some("   "), "Firefox 132 on Ubuntu").unwrap(),
            "Firefox 132 on Ubuntu"
        );
        assert_eq!(
            passkey_name(None, "Safari on iPhone").unwrap(),
            "Safari on iPhone"
        );
        assert_eq!(
            passkey_name(Some(&"é".repeat(64)), "x")
                .unwrap()
                .chars()
                .count(),
            64
        );
        assert!(passkey_name(Some(&"é".repeat(65)), "x").is_err());
        for bad in ["a\u{202e}b", "a\nb", "\u{0}"] {
            assert!(passkey_name(Some(bad), "x").is_err(), "{bad:?}");
        }
    }
}
