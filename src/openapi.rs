//! The OpenAPI 3.1 document of the JSON API, generated from the handlers' annotations and served
//! at `/api/v1/openapi.json`.

use crate::platform::state::AppState;
use axum::{Router, http::header, routing::get};
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
        crate::sessions::api::ended,
        crate::sessions::api::details,
        crate::sessions::api::detail,
        crate::sessions::api::rename,
        crate::sessions::api::revoke,
        crate::sessions::api::revoke_others,
        crate::sessions::api::revoke_weak,
        crate::cli_grants::api::start,
        crate::cli_grants::api::redeem,
        crate::factors::api::register_start,
        crate::factors::api::register_finish,
        crate::factors::api::login_start,
        crate::factors::api::login_finish,
        crate::factors::api::step_up_start,
        crate::factors::api::step_up_finish,
        crate::factors::api::remove,
    ),
    components(schemas(
        active_sessions_api::ErrorBody,
        active_sessions_api::ErrorDetail,
        active_sessions_api::ErrorCode
    )),
    modifiers(&Security),
    tags(
        (name = "sessions", description = "The caller's sessions"),
        (name = "cli", description = "CLI sign-in grants"),
        (name = "passkeys", description = "Passkeys (WebAuthn): add, sign in, step-up, remove"),
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

/// The document as served: utoipa's output plus OpenAPI links between the session operations,
/// so clients (and schemathesis' stateful phase) can follow an id from the list to its detail and
/// its revoke, and from a revoke back to the detail, which must then be 404. The links are added
/// to the JSON because utoipa 5.5 serialises its `Link` fields in snake_case (`operation_id`),
/// which OpenAPI tools ignore. The list puts the caller's own session first, so the links from
/// the list name the second entry: following them never signs the caller out.
pub fn document() -> serde_json::Value {
    const LIST: &str = "/api/v1/auth/sessions";
    const ONE: &str = "/api/v1/auth/sessions/{id}";
    // (path, method, status, link name, target operation, its `id`, description)
    const LINKS: [(&str, &str, &str, &str, &str, &str, &str); 3] = [
        (
            LIST,
            "get",
            "200",
            "GetOtherSession",
            "detail",
            "$response.body#/1/id",
            "Details of another session of the caller.",
        ),
        (
            LIST,
            "get",
            "200",
            "RevokeOtherSession",
            "revoke",
            "$response.body#/1/id",
            "Revoke another session of the caller.",
        ),
        (
            ONE,
            "delete",
            "204",
            "GetRevokedSession",
            "detail",
            "$request.path.id",
            "A revoked session is gone: 404.",
        ),
    ];
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
    for (path, method, status, name, operation_id, id, description) in LINKS {
        let pointer = format!(
            "/paths/{}/{method}/responses/{status}",
            path.replace('~', "~0").replace('/', "~1")
        );
        if let Some(response) = doc.pointer_mut(&pointer).and_then(|r| r.as_object_mut()) {
            response
                .entry("links")
                .or_insert_with(|| serde_json::json!({}))
                .as_object_mut()
                .expect("links is an object")
                .insert(
                    name.to_owned(),
                    serde_json::json!({
                        "operationId": operation_id,
                        "parameters": { "id": id },
                        "description": description,
                    }),
                );
        }
    }
    doc
}

/// `GET /api/v1/openapi.json`: the document is built and serialised once, when the router is.
pub fn routes() -> Router<AppState> {
    let body = serde_json::to_string(&document()).expect("the OpenAPI document serialises");
    Router::new().route(
        "/api/v1/openapi.json",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body.clone()) }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation_ids(doc: &serde_json::Value) -> Vec<String> {
        doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|op| op["operationId"].as_str().map(str::to_owned))
            .collect()
    }

    // SEC-38: the stateful fuzzing follows these links; each must name a real operation.
    #[test]
    fn links_name_operations_that_exist() {
        let doc = document();
        let ids = operation_ids(&doc);
        let list = &doc["paths"]["/api/v1/auth/sessions"]["get"]["responses"]["200"]["links"];
        let revoked =
            &doc["paths"]["/api/v1/auth/sessions/{id}"]["delete"]["responses"]["204"]["links"];
        let mut seen = 0;
        for links in [list, revoked] {
            for (name, link) in links.as_object().expect("links present") {
                let target = link["operationId"].as_str().unwrap();
                assert!(ids.iter().any(|id| id == target), "{name} -> {target}");
                assert!(link["parameters"]["id"].as_str().unwrap().starts_with('$'));
                seen += 1;
            }
        }
        assert_eq!(seen, 3);
    }
}
