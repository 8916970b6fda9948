//! The OpenAPI 3.1 document of the JSON API, generated from the handlers' annotations and served
//! at `/api/v1/openapi.json`.

use crate::server::state::AppState;
use axum::{Json, Router, routing::get};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "active-sessions API",
        description = "List and revoke the sessions of the signed-in account, and sign in from a terminal. \
                       Errors always have the shape {\"error\": {\"code\", \"message\"}}.",
    ),
    paths(
        crate::sessions::api::list,
        crate::sessions::api::detail,
        crate::sessions::api::revoke,
        crate::sessions::api::revoke_others,
        crate::cli_grants::api::start,
        crate::cli_grants::api::redeem,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&Security),
    tags(
        (name = "sessions", description = "The caller's sessions"),
        (name = "cli", description = "CLI sign-in grants"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("session"))),
        );
    }
}

/// `GET /api/v1/openapi.json`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/v1/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
