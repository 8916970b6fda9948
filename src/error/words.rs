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

/// The words of [`AppError::SecondStepRequired`] for the account's `methods`.
pub(super) fn second_step(methods: &[String]) -> &'static str {
    let has = |m: &str| methods.iter().any(|x| x == m);
    match (has("totp"), has("webauthn")) {
        (true, false) => {
            "Enter the code from your authenticator app, or a recovery code, to finish signing in."
        }
        (true, true) => {
            "Use your passkey, or enter the code from your authenticator app or a recovery code, \
             to finish signing in."
        }
        (false, true) => "Use your passkey, or enter a recovery code, to finish signing in.",
        (false, false) => "Enter a recovery code to finish signing in.",
    }
}
