//! Server functions of the approval page.

use crate::cli_grants::model::GrantView;
use crate::error::AppError;
use leptos::prelude::*;

/// The pending grant with this user code, for the signed-in approver.
#[server(prefix = "/api/cli", endpoint = "grant", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_cli_grant(code: String) -> Result<GrantView, AppError> {
    use crate::auth::extract::with_caller;
    with_caller(|state, caller| async move {
        crate::cli_grants::service::view(&state, &caller, &code).await
    })
    .await
}

/// Approves (`approve = true`) or denies a pending grant. Approving needs a recent sign-in: the
/// form then carries the password, confirmed first.
#[server(prefix = "/api/cli", endpoint = "decide")]
pub async fn decide_cli_grant(
    code: String,
    #[server(default)] approve: bool,
    #[server(default)] password: Option<String>,
    #[server(default)] totp_code: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{extract::with_caller, service};
    with_caller(|state, caller| async move {
        let proofs = service::Reauth {
            password,
            code: totp_code,
        };
        let caller = service::reauthenticated(&state, caller, proofs).await?;
        let code = crate::cli_grants::service::decide(&state, &caller, &code, approve).await?;
        leptos_axum::redirect(&format!("/cli/approve?code={code}"));
        Ok(())
    })
    .await
}
