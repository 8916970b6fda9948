//! Server functions of the approval page.

use crate::cli_grants::model::GrantView;
use crate::error::AppError;
use leptos::prelude::*;

/// The pending grant with this user code, for the signed-in approver.
#[server(prefix = "/api/cli", endpoint = "grant", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_cli_grant(code: String) -> Result<GrantView, AppError> {
    use crate::cli_grants::{code::normalise, model::GrantStatus, repository};
    use crate::server::fn_context::{FnContext, respond};
    use crate::sessions::{client_info, model::SessionKind, service::rfc3339};
    respond(async {
        let cx = FnContext::get()?;
        let current = cx.session().await?;
        let now = cx.state.now();
        cx.state
            .grant_limiter
            .hit(&format!("lookup:{}", current.user_id), now)
            .map_err(|retry_after| AppError::RateLimited { retry_after })?;
        let code = normalise(&code).ok_or(AppError::NotFound)?;
        let row = repository::find_by_user_code(&cx.state.db, &code, now)
            .await?
            .filter(|r| r.redeemed_at.is_none() || r.approved_at.is_some())
            .ok_or(AppError::NotFound)?;
        let described = client_info::describe(row.user_agent.as_deref(), SessionKind::Cli);
        Ok(GrantView {
            user_code: row.user_code,
            client_name: described.name,
            country: row
                .ip
                .as_deref()
                .and_then(client_info::country_of)
                .map(|c| c.name),
            user_agent: row.user_agent,
            ip: row.ip,
            requested_at: rfc3339(row.created_at),
            requested_at_unix: row.created_at,
            expires_at_unix: row.expires_at,
            status: match (row.approved_at, row.denied_at) {
                (Some(_), _) => GrantStatus::Approved,
                (_, Some(_)) => GrantStatus::Denied,
                _ => GrantStatus::Pending,
            },
            now,
        })
    })
    .await
}

/// Approves (`approve = true`) or denies a pending grant.
#[server(prefix = "/api/cli", endpoint = "decide")]
pub async fn decide_cli_grant(
    code: String,
    #[server(default)] approve: bool,
) -> Result<(), AppError> {
    use crate::cli_grants::{code::normalise, repository};
    use crate::server::fn_context::{FnContext, respond};
    respond(async {
        let cx = FnContext::get()?;
        let current = cx.session().await?;
        let now = cx.state.now();
        let code = normalise(&code).ok_or(AppError::NotFound)?;
        if !repository::decide(&cx.state.db, &code, current.user_id, approve, now).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(
            event = if approve { "cli_grant_approved" } else { "cli_grant_denied" },
            user_id = current.user_id,
            actor = %current.public_id,
            "auth event"
        );
        leptos_axum::redirect(&format!("/cli/approve?code={code}"));
        Ok(())
    })
    .await
}
