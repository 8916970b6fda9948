//! What a session proved when it signed in, in words for its row.

use crate::sessions::components::row::sign_in_method_words;
use crate::sessions::model::SessionView;

/// A session that proved only one factor on an account with two-step sign-in.
pub fn is_weak(session: &SessionView) -> bool {
    session.account_has_factor && session.assurance_level < 2
}

/// "Passkey · phishing-resistant", "Password + authenticator app", "Password + recovery code",
/// "Password only" (on an account
/// with two-step sign-in), otherwise how it signed in ("Password", "CLI sign-in", …).
pub fn proof_words(session: &SessionView) -> String {
    let has = |f: &str| session.mfa_factors.iter().any(|m| m == f);
    if has("webauthn") && session.assurance_level < 2 {
        // It signed in with a passkey the account no longer has.
        "Passkey (since removed)".into()
    } else if has("webauthn") {
        "Passkey · phishing-resistant".into()
    } else if has("password") && has("totp") {
        "Password + authenticator app".into()
    } else if has("password") && has("recovery_code") {
        "Password + recovery code".into()
    } else if is_weak(session) && session.sign_in_method == "password" {
        "Password only".into()
    } else {
        sign_in_method_words(&session.sign_in_method).into()
    }
}
