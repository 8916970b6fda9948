//! The factor a `step_up_required` answer names (its `method` field).

use super::AppError;

impl AppError {
    /// `totp` or `webauthn` for the step-up refusals, `None` for every other error.
    pub fn step_up_method(&self) -> Option<&'static str> {
        match self {
            Self::StepUpRequired => Some("totp"),
            Self::StepUpPasskey => Some("webauthn"),
            _ => None,
        }
    }
}
