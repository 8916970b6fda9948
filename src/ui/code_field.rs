//! The one labelled input for a code from an authenticator app that step-up asks for next to the
//! password (a recovery code is not accepted there).

use leptos::prelude::*;

/// A `<label>` and its one-time-code `<input>`.
#[component]
pub fn CodeField(
    /// The input's `id` (the label points at it).
    id: &'static str,
    /// The form field's name (`code`, or `totp_code` where `code` is taken).
    #[prop(default = "code")]
    name: &'static str,
    /// The visible label.
    #[prop(default = "Code from your authenticator app")]
    label: &'static str,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=name
            type="text"
            autocomplete="one-time-code"
            inputmode="numeric"
            required
            maxlength="64"
        />
    }
}
