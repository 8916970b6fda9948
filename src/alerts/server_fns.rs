//! Server functions of the "This wasn't me" page. Neither needs a sign-in: the token in the link
//! is the only credential, and it can end one session and nothing else.

use crate::alerts::model::NotMeView;
use crate::error::AppError;
use leptos::prelude::*;

/// What the link names. Reading changes nothing, so mail scanners that follow links are
/// harmless.
#[server(prefix = "/api/not-me", endpoint = "view")]
pub async fn get_not_me(token: String) -> Result<NotMeView, AppError> {
    use crate::auth::extract::{client_of, logged, no_parts, state};
    logged(async {
        let state = state()?;
        let parts = use_context::<axum::http::request::Parts>().ok_or_else(no_parts)?;
        let client = client_of(&state, &parts);
        crate::alerts::service::view(&state, &client, &token).await
    })
    .await
}

/// `Sign out that device`: ends the session the link names (once), then shows the page again.
#[server(prefix = "/api/not-me", endpoint = "sign_out")]
pub async fn sign_out_that_device(token: String) -> Result<NotMeView, AppError> {
    use crate::auth::extract::{client_of, logged, no_parts, state};
    logged(async {
        let state = state()?;
        let parts = use_context::<axum::http::request::Parts>().ok_or_else(no_parts)?;
        let client = client_of(&state, &parts);
        let view = crate::alerts::service::sign_out(&state, &client, &token).await?;
        // The token has the shape of one (the service parsed it): safe in a path.
        leptos_axum::redirect(&format!("/not-me/{token}"));
        Ok(view)
    })
    .await
}
