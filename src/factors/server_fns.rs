//! Server functions of `/settings/security`: thin adapters over `factors::service` that send the
//! browser back to the page with tickets (sealed, never the secrets) in its address, so every
//! form works the same with JavaScript off.

use crate::error::AppError;
use crate::factors::model::SecurityOverview;
use leptos::prelude::*;

/// What the page shows; `setup` and `codes` are the tickets of its address.
#[server(prefix = "/api/security", endpoint = "overview", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_security_overview(
    #[server(default)] setup: Option<String>,
    #[server(default)] codes: Option<String>,
) -> Result<SecurityOverview, AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        let (setup, codes) = (setup.as_deref(), codes.as_deref());
        crate::factors::service::overview(&state, &caller, setup, codes).await
    })
    .await
}

/// "Set up authenticator app": shows a fresh secret (nothing stored).
#[server(prefix = "/api/security", endpoint = "begin_totp_setup")]
pub async fn begin_totp_setup() -> Result<(), AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        let ticket = crate::factors::service::begin_setup(&state, &caller)?;
        let url =
            crate::platform::url::with_query("/settings/security", &[("setup", Some(&ticket))]);
        leptos_axum::redirect(&url);
        Ok(())
    })
    .await
}

/// "Turn on": the code from the app confirms the set-up `setup`; a recent sign-in is needed (the
/// form then carries the password, confirmed first). Shows the recovery codes once; with
/// `sign_out_others` (checked on the page) every other session ends, so sessions that only ever
/// proved the password do not outlive the change.
#[server(prefix = "/api/security", endpoint = "turn_on_totp")]
pub async fn turn_on_totp(
    code: String,
    setup: String,
    #[server(default)] password: Option<String>,
    #[server(default)] sign_out_others: bool,
) -> Result<(), AppError> {
    use crate::auth::{extract::with_caller, service};
    with_caller(|state, caller| async move {
        // No app yet: the password is the strongest factor (`code` confirms the new app).
        let proofs = service::Reauth {
            password,
            code: None,
        };
        let caller = service::stepped_up(&state, &caller, proofs).await?;
        let shown = crate::factors::service::confirm_setup(&state, &caller, &setup, &code).await?;
        let ended = if sign_out_others {
            let fresh = service::Reauth {
                password: None,
                code: None,
            };
            let ended = service::sign_out_others(&state, &caller, fresh).await?;
            Some(ended.count.to_string())
        } else {
            None
        };
        let query = [("codes", Some(shown.as_str())), ("ended", ended.as_deref())];
        let url = crate::platform::url::with_query("/settings/security", &query);
        leptos_axum::redirect(&url);
        Ok(())
    })
    .await
}

/// "Regenerate recovery codes": the old set stops working; a recent sign-in is needed.
#[server(prefix = "/api/security", endpoint = "regenerate_recovery_codes")]
pub async fn regenerate_recovery_codes(
    #[server(default)] password: Option<String>,
    #[server(default)] code: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{extract::with_caller, service};
    with_caller(|state, caller| async move {
        let proofs = service::Reauth { password, code };
        let caller = service::stepped_up(&state, &caller, proofs).await?;
        let shown = crate::factors::service::new_recovery_codes(&state, &caller).await?;
        let url =
            crate::platform::url::with_query("/settings/security", &[("codes", Some(&shown))]);
        leptos_axum::redirect(&url);
        Ok(())
    })
    .await
}

/// "Turn off" the authenticator app (step-up with the app first): the app and its recovery codes
/// go, and with `sign_out_others` every other session ends. Back to the page, saying so.
#[server(prefix = "/api/security", endpoint = "turn_off_totp")]
pub async fn turn_off_totp(
    #[server(default)] password: Option<String>,
    #[server(default)] code: Option<String>,
    #[server(default)] sign_out_others: bool,
) -> Result<(), AppError> {
    use crate::auth::{extract::with_caller, service};
    with_caller(|state, caller| async move {
        let proofs = service::Reauth { password, code };
        let caller = service::stepped_up(&state, &caller, proofs).await?;
        let turn_off = service::TurnOff { sign_out_others };
        let ended = service::turn_off_totp(&state, &caller, turn_off).await?;
        let ended = ended.to_string();
        let query = [("off", Some("1")), ("ended", Some(ended.as_str()))];
        let url = crate::platform::url::with_query("/settings/security", &query);
        leptos_axum::redirect(&url);
        Ok(())
    })
    .await
}

/// "Remove" a passkey (step-up with a passkey first): with `sign_out_others` every other session
/// ends. Back to the page.
#[server(prefix = "/api/security", endpoint = "remove_passkey")]
pub async fn remove_passkey(
    id: i64,
    #[server(default)] sign_out_others: bool,
) -> Result<(), AppError> {
    use crate::auth::{extract::with_caller, service};
    use crate::platform::ids::PasskeyId;
    with_caller(|state, caller| async move {
        service::remove_passkey(&state, &caller, PasskeyId(id), sign_out_others).await?;
        leptos_axum::redirect("/settings/security");
        Ok(())
    })
    .await
}
