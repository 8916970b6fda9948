//! Changing the password: every other session ends, every other browser is forgotten and this
//! session gets a fresh token, in one transaction (SEC-13).

use super::reauth::{confirm_code, confirm_password};
use super::sign_out::end_others_in;
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service::{self as sessions, EndReason};
use crate::sessions::token::SessionToken;
use crate::users::service as users;

/// A password change as submitted.
#[derive(Debug)]
pub struct PasswordChange {
    /// The password in use now.
    pub current: String,
    /// The new one.
    pub new: String,
    /// The new one again.
    pub confirm: String,
    /// A code from the authenticator app, when the account has one and this session has not
    /// proved it within the re-auth window (SEC-53).
    pub code: Option<String>,
}

/// What a password change did.
#[derive(Debug)]
pub struct PasswordChanged {
    /// The caller's session's new token (the old one stops working).
    pub token: SessionToken,
    /// How many other sessions ended.
    pub ended: u64,
}

/// Changes the password: checks the current one (and a code from the authenticator app when the
/// account has one and this session has not proved it lately), then in one transaction sets the new hash,
/// ends every other session (CLI included) and gives the caller's session a fresh token (SEC-13).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    change: PasswordChange,
) -> Result<PasswordChanged, AppError> {
    use crate::platform::password::check_new_password;
    if change.new != change.confirm {
        return Err(AppError::invalid("The new passwords do not match."));
    }
    check_new_password(&change.new).map_err(|e| AppError::invalid(capitalise(&e.to_string())))?;
    confirm_password(state, caller, change.current).await?;
    // With a passkey, the passkey is the strongest factor: proved on this session lately.
    if sessions::needs_passkey(state, caller) {
        return Err(AppError::StepUpPasskey);
    }
    if sessions::needs_totp(state, caller) {
        let code = change.code.filter(|c| !c.trim().is_empty());
        let code = code.ok_or(AppError::StepUpRequired)?;
        confirm_code(state, caller, &code).await?;
    }
    let hash = state.hasher.hash(change.new).await?;
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    users::set_password_in(&mut tx, caller.user_id, &hash, now).await?;
    let ended = end_others_in(&mut tx, caller, EndReason::PasswordChanged, now).await?;
    let token = sessions::rotate_token_in(&mut tx, caller, now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    tx.commit().await?;
    Ok(PasswordChanged {
        token,
        ended: ended.count,
    })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
