//! The security page's flow without storing anything early: "Set up" seals a fresh secret into
//! a ticket (bound to the account and session, ten minutes) that the page shows and the "Turn on"
//! form sends back; fresh recovery codes travel to the page sealed the same way (five minutes).
//! Only ciphertext ever sits in a URL or a form field.

use super::{TurnOn, regenerate_recovery_codes, secrets_key, turn_on_totp};
use crate::error::AppError;
use crate::factors::model::{SecurityOverview, TotpSetup};
use crate::factors::{crypto, qr, repository, totp};
use crate::platform::ids::UnixTime;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::service as sessions;
use crate::users::service as users;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// How long a set-up may take.
const SETUP_SECS: i64 = 10 * 60;
/// How long fresh recovery codes can be shown.
const SHOWN_SECS: i64 = 5 * 60;

fn aad(purpose: &str, caller: &Caller) -> Vec<u8> {
    format!("{purpose}:v1:{}:{}", caller.user_id, caller.session_id).into_bytes()
}

fn seal_ticket(
    state: &AppState,
    caller: &Caller,
    purpose: &str,
    body: &[u8],
) -> Result<String, AppError> {
    let expires = state.now()
        + if purpose == "totp-setup" {
            SETUP_SECS
        } else {
            SHOWN_SECS
        };
    let mut payload = expires.0.to_be_bytes().to_vec();
    payload.extend_from_slice(body);
    let sealed = crypto::seal(secrets_key(state)?, &aad(purpose, caller), &payload);
    Ok(URL_SAFE_NO_PAD.encode(sealed))
}

fn open_ticket(state: &AppState, caller: &Caller, purpose: &str, ticket: &str) -> Option<Vec<u8>> {
    let key = state.config.secrets_key.as_ref()?;
    let sealed = URL_SAFE_NO_PAD.decode(ticket).ok()?;
    let payload = crypto::open(key, &aad(purpose, caller), &sealed).ok()?;
    let (expires, body) = payload.split_at_checked(8)?;
    let expires = UnixTime(i64::from_be_bytes(expires.try_into().ok()?));
    (state.now() < expires).then(|| body.to_vec())
}

/// Starts setting up an authenticator app: the ticket for the page (nothing stored).
pub fn begin_setup(state: &AppState, caller: &Caller) -> Result<String, AppError> {
    seal_ticket(state, caller, "totp-setup", &totp::new_secret())
}

/// What the page shows; `setup` and `codes` are tickets from the URL (ignored once expired or
/// when made for another session).
pub async fn overview(
    state: &AppState,
    caller: &Caller,
    setup: Option<&str>,
    codes: Option<&str>,
) -> Result<SecurityOverview, AppError> {
    let factors = repository::factors_of(&state.db, caller.user_id).await?;
    let totp_enabled = factors.totp > 0;
    let secret = setup.filter(|_| !totp_enabled);
    let secret = secret.and_then(|t| open_ticket(state, caller, "totp-setup", t));
    let setup = match (secret, setup) {
        (Some(secret), Some(ticket)) => Some(show_setup(state, caller, &secret, ticket).await?),
        _ => None,
    };
    let recovery_codes = codes
        .and_then(|t| open_ticket(state, caller, "recovery-shown", t))
        .and_then(|body| String::from_utf8(body).ok())
        .map(|text| text.lines().map(str::to_owned).collect());
    Ok(SecurityOverview {
        available: state.config.secrets_key.is_some(),
        totp_enabled,
        two_step: factors.two_step(state.webauthn.is_some()),
        recovery_left: u32::try_from(factors.recovery_left).unwrap_or(0),
        // Password and code fields; an account with a passkey steps up with it instead.
        needs_reauth: sessions::needs_password(state, caller)
            || sessions::needs_totp(state, caller),
        setup,
        recovery_codes,
        passkeys_available: state.webauthn.is_some(),
        passkeys: super::list_passkeys(state, caller.user_id).await?,
        needs_passkey: sessions::needs_passkey(state, caller),
    })
}

async fn show_setup(
    state: &AppState,
    caller: &Caller,
    secret: &[u8],
    ticket: &str,
) -> Result<TotpSetup, AppError> {
    let user = users::find_by_id(&state.db, caller.user_id).await?;
    let email = user.map(|u| u.email).unwrap_or_default();
    let fallback = format!("user-{}", caller.user_id);
    let url = totp::otpauth_url(secret, &email, &fallback)
        .map_err(|e| AppError::internal(e.to_string()))?;
    let qr_svg = qr::qr_svg(&url).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(TotpSetup {
        secret: totp::base32(secret),
        qr_svg,
        ticket: ticket.to_owned(),
    })
}

/// Turns on the app of a set-up `ticket` with `code` (a recent password proof required): the
/// ticket of the recovery codes to show once.
#[tracing::instrument(skip_all, fields(user = %caller.user_id, session = %caller.public_id))]
pub async fn confirm_setup(
    state: &AppState,
    caller: &Caller,
    ticket: &str,
    code: &str,
) -> Result<String, AppError> {
    if sessions::needs_reauth(state, caller) {
        return Err(sessions::reauth_refusal(caller));
    }
    let secret = open_ticket(state, caller, "totp-setup", ticket)
        .ok_or_else(|| AppError::invalid("The set-up expired. Start again."))?;
    let turn_on = TurnOn {
        user_id: caller.user_id,
        secret: &secret,
        code,
    };
    let codes = turn_on_totp(state, turn_on).await?;
    // The code that turned the app on proves it on this session too (step-up).
    let mut tx = state.db.begin_write().await?;
    let (factor, how) = (sessions::LaterFactor::Totp, sessions::LaterProof::Enrolment);
    sessions::mark_factor_proved_in(&mut tx, caller, state.now(), factor, how).await?;
    tx.commit().await?;
    codes_ticket(state, caller, &codes)
}

/// A new set of recovery codes for an account with an authenticator app or a passkey (a recent
/// proof required; the old set stops working): the ticket that shows them once. On a passkey
/// account without an app the first set turns two-step sign-in on.
#[tracing::instrument(skip_all, fields(user = %caller.user_id, session = %caller.public_id))]
pub async fn new_recovery_codes(state: &AppState, caller: &Caller) -> Result<String, AppError> {
    if sessions::needs_reauth(state, caller) {
        return Err(sessions::reauth_refusal(caller));
    }
    let factors = repository::factors_of(&state.db, caller.user_id).await?;
    if factors.totp == 0 && factors.passkeys == 0 {
        return Err(AppError::invalid(
            "Turn on an authenticator app or add a passkey first.",
        ));
    }
    let codes = regenerate_recovery_codes(state, caller.user_id).await?;
    codes_ticket(state, caller, &codes)
}

/// The ticket that shows `codes` once on the caller's security page (`?codes=`).
pub fn codes_ticket(
    state: &AppState,
    caller: &Caller,
    codes: &[String],
) -> Result<String, AppError> {
    seal_ticket(state, caller, "recovery-shown", codes.join("\n").as_bytes())
}
