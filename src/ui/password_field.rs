//! The one labelled password input every password prompt uses: the same length cap as the
//! server (1024 bytes) and the `autocomplete` hint password managers need.

use leptos::prelude::*;

/// A `<label>` and its password `<input>`.
#[component]
pub fn PasswordField(
    /// The input's `id` (the label points at it).
    id: &'static str,
    /// The form field's name (a contract of the endpoint it posts to).
    name: &'static str,
    /// The visible label.
    label: &'static str,
    /// A new password (at least 8 characters, `new-password`) rather than the one in use.
    #[prop(optional)]
    new: bool,
) -> impl IntoView {
    let (autocomplete, minlength) = if new {
        ("new-password", Some("8"))
    } else {
        ("current-password", None)
    };
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=name
            type="password"
            autocomplete=autocomplete
            required
            minlength=minlength
            maxlength="1024"
        />
    }
}
