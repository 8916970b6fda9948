//! The JSON API's one body extractor: a body that is not the JSON a handler expects becomes an
//! [`AppError::InvalidInput`] in the usual error shape, never axum's plain-text rejection.
//!
//! Written by hand rather than with axum's `#[from_request(via(Json), rejection(AppError))]`
//! derive (its `examples/error-handling`): that derive converts the rejection without knowing the
//! body type, and each endpoint's message shows an example of its own body.

use super::AppError;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// A request body the JSON API accepts, with what to tell a client that sent something else.
pub trait JsonBody: DeserializeOwned {
    /// The `message` of the 400 answer to a body that does not decode (names an example).
    const INVALID: &'static str;
}

/// `axum::Json<T>` whose rejection is [`AppError::InvalidInput`] with `T::INVALID` (400).
#[derive(Debug)]
pub struct AppJson<T>(pub T);

impl<T: JsonBody, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(body)| Self(body))
            .map_err(|_| AppError::invalid(T::INVALID))
    }
}
