//! Words of errors that depend on where they happen.

/// The words of [`AppError::InvalidCode`].
pub(super) fn invalid_code(app_only: bool) -> &'static str {
    if app_only {
        "That code is not right, or was used already. Enter the code your authenticator app shows \
         now (a recovery code cannot confirm this)."
    } else {
        "That code is not right, or was used already. Try the next code from your app, or a \
         recovery code."
    }
}
