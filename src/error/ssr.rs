//! The JSON shape of an error (`ErrorBody`) and the conversions from server-side errors.

use super::{AppError, ErrorBody, ErrorDetail, SecondStepDetails};
use axum::{
    Json,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

impl From<&AppError> for ErrorBody {
    fn from(err: &AppError) -> Self {
        Self {
            error: ErrorDetail {
                code: err.code(),
                message: err.to_string(),
                retry_after: match err {
                    AppError::RateLimited { retry_after } => Some(*retry_after),
                    _ => None,
                },
                details: match err {
                    AppError::SecondStepRequired { pending, methods } => Some(SecondStepDetails {
                        pending: pending.clone(),
                        methods: methods.clone(),
                        complete: "POST /login/code with the form fields pending and code".into(),
                    }),
                    _ => None,
                },
                method: err.step_up_method().map(Into::into),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let mut response = (self.status(), Json(ErrorBody::from(&self))).into_response();
        let retry_after = match self {
            AppError::RateLimited { retry_after } => Some(retry_after),
            AppError::Unavailable { .. } => Some(1),
            _ => None,
        };
        if let Some(retry_after) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if crate::platform::db::is_unavailable(&err) {
            Self::unavailable(err)
        } else {
            Self::internal(err)
        }
    }
}

impl From<crate::platform::budget_store::LimitError> for AppError {
    fn from(err: crate::platform::budget_store::LimitError) -> Self {
        use crate::platform::budget_store::LimitError;
        match err {
            LimitError::Refused { retry_after } => Self::RateLimited { retry_after },
            LimitError::Db(e) => e.into(),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        if err.is::<crate::platform::password::QueueFull>() {
            Self::unavailable(err)
        } else {
            Self::internal(err)
        }
    }
}
