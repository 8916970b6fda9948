//! The end of every browser sign-in once its proofs are in (password alone, or password and a
//! second step): the browser remembered, the session started (ending the one the browser had),
//! the alert queued, all in the transaction the proofs were spent in, committed here.

use super::SignedIn;
use crate::alerts::service as alerts;
use crate::auth::devices;
use crate::error::AppError;
use crate::platform::ids::{DeviceId, UserId};
use crate::platform::state::AppState;
use crate::sessions::caller::{Caller, Client};
use crate::sessions::model::{Proof, SessionKind};
use crate::sessions::service::{self as sessions, Start};
use sqlx::{Any, Transaction};

/// A sign-in whose proofs are in.
#[derive(Debug)]
pub(super) struct Finish<'a> {
    /// The account.
    pub user_id: UserId,
    /// The browser's device record when it presented one of this account.
    pub known_device: Option<DeviceId>,
    /// Where the sign-in came from.
    pub client: &'a Client,
    /// What it proved.
    pub proofs: &'a [Proof],
    /// `password` or `passkey`.
    pub method: &'a str,
}

/// Starts the session of `finish` inside `tx` and commits (SEC-36); `previous` is the session
/// the browser had, ended in the same transaction (SEC-04).
pub(super) async fn finish_in(
    mut tx: Transaction<'static, Any>,
    state: &AppState,
    finish: Finish<'_>,
    previous: Option<&Caller>,
) -> Result<SignedIn, AppError> {
    let now = state.now();
    // A device revoked since the lookup counts as a new browser (SEC-40).
    let known_device = match finish.known_device {
        Some(id) if devices::touch_in(&mut tx, id, now).await? => Some(id),
        _ => None,
    };
    let (device_id, new_device) = match known_device {
        Some(id) => (id, None),
        None => {
            let (id, token) = devices::remember_in(&mut tx, finish.user_id, now).await?;
            (id, Some(token))
        }
    };
    let start = Start {
        user_id: finish.user_id,
        kind: SessionKind::Web,
        sign_in_method: finish.method,
        client: finish.client,
        inherited: None,
        device_id: Some(device_id),
        proofs: finish.proofs,
    };
    let session = sessions::sign_in_in(&mut tx, state, start, previous).await?;
    let sign_in = alerts::SignIn {
        user_id: finish.user_id,
        session: &session,
        kind: SessionKind::Web,
        client: finish.client,
        known_client: known_device.is_some(),
    };
    let queued = alerts::signed_in_in(&mut tx, state, sign_in).await?;
    crate::platform::failpoint::hit("sign_in_before_commit");
    tx.commit().await?;
    crate::platform::failpoint::hit("sign_in_after_commit");
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(SignedIn {
        session,
        new_device,
    })
}
