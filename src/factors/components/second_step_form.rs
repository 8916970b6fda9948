//! The second step of `/login`: a plain form posting `code` to `POST /login/code` (the pending
//! sign-in travels in its cookie), so it works the same with and without JavaScript. It asks
//! for what the account has: a code from the app, a recovery code, or (below it) the passkey.

use crate::auth::server_fns::SecondStepOptions;
use leptos::prelude::*;

/// The second step shown once the password proved right on an account with two-step sign-in;
/// `offer` is what the account can finish it with (`None`: no live pending sign-in was found,
/// so the form asks for any code and the server says what is wrong).
#[component]
pub fn SecondStepForm(
    /// Where to go afterwards (passed through).
    #[prop(into)]
    next: Signal<String>,
    /// Whether an error notice describes the field.
    #[prop(into)]
    has_error: Signal<bool>,
    /// What the account has.
    offer: Option<SecondStepOptions>,
) -> impl IntoView {
    let app = offer.is_none_or(|o| o.app);
    let code = offer.is_none_or(|o| o.app || o.recovery_code);
    let passkey_only = offer.is_some_and(|o| o.passkey) && !code;
    let (label, hint) = if app {
        (
            "Code from your authenticator app",
            "or one of your recovery codes",
        )
    } else {
        ("Recovery code", "if you cannot use your passkey")
    };
    view! {
        <form method="post" action="/login/code" class="stack" id="second-step">
            <p>"Your password was right. Finish signing in with a second step."</p>
            {passkey_only.then(|| view! { <p>"Use your passkey below."</p> })}
            <Show when=move || code>
                <input type="hidden" name="next" prop:value=next />
                <label for="code">{label}</label>
                <input
                    id="code"
                    name="code"
                    type="text"
                    autocomplete="one-time-code"
                    inputmode=if app { "numeric" } else { "text" }
                    required
                    maxlength="64"
                    aria-describedby=move || {
                        if has_error.get() { "login-error code-hint" } else { "code-hint" }
                    }
                />
                <p class="hint" id="code-hint">{hint}</p>
                <button type="submit" class="button primary">"Verify"</button>
            </Show>
            <p>
                <a href="/login">"Start again"</a>
            </p>
        </form>
    }
}
