//! The second step of `/login`: a plain form posting `code` to `POST /login/code` (the pending
//! sign-in travels in its cookie), so it works the same with and without JavaScript.

use leptos::prelude::*;

/// The code form shown once the password proved right on an account with two-step sign-in.
#[component]
pub fn SecondStepForm(
    /// Where to go afterwards (passed through).
    #[prop(into)]
    next: Signal<String>,
    /// Whether an error notice describes the field.
    #[prop(into)]
    has_error: Signal<bool>,
) -> impl IntoView {
    view! {
        <form method="post" action="/login/code" class="stack" id="second-step">
            <p>"Your password was right. Finish signing in with a second step."</p>
            <input type="hidden" name="next" prop:value=next />
            <label for="code">"Code from your authenticator app"</label>
            <input
                id="code"
                name="code"
                type="text"
                autocomplete="one-time-code"
                inputmode="numeric"
                required
                maxlength="64"
                aria-describedby=move || {
                    if has_error.get() { "login-error code-hint" } else { "code-hint" }
                }
            />
            <p class="hint" id="code-hint">"or one of your recovery codes"</p>
            <button type="submit" class="button primary">"Verify"</button>
            <p>
                <a href="/login">"Start again"</a>
            </p>
        </form>
    }
}
