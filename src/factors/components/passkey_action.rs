//! A button that runs a passkey ceremony in the browser (`public/passkeys.js`, a plain ES module:
//! no web-sys, nothing added to the wasm). Without JavaScript, or in a browser without WebAuthn,
//! the button stays hidden and the text says passkeys need JavaScript (style/main.css keys both
//! on `html[data-passkeys]`, which the module sets).

use leptos::prelude::*;

/// What the button does (`data-passkey-action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasskeyCeremony {
    /// "Sign in with a passkey" (then go to `next`).
    Login,
    /// "Add a passkey" (the form's `name` and step-up fields go with it), then reload.
    Register,
    /// "Confirm with your passkey" (step-up), then reload or say it is done.
    StepUp,
}

impl PasskeyCeremony {
    fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Register => "register",
            Self::StepUp => "step-up",
        }
    }
}

/// The button, its error line and the no-JavaScript text, with the module that runs it.
#[component]
pub fn PasskeyAction(
    /// The ceremony.
    ceremony: PasskeyCeremony,
    /// The button's words.
    label: &'static str,
    /// Its id (tests and labels).
    id: &'static str,
    /// After a sign-in: where to go.
    #[prop(optional, into)]
    next: Option<Signal<String>>,
    /// After a step-up: reload the page (`true`) or only say it is done.
    #[prop(optional)]
    reload: bool,
) -> impl IntoView {
    let next = move || next.map(|n| n.get()).unwrap_or_default();
    view! {
        <div class="passkey-action" data-passkey-box="">
            <button
                type="button"
                class="button secondary"
                id=id
                data-passkey-action=ceremony.as_str()
                data-next=next
                data-reload=reload.then_some("true")
            >
                {label}
            </button>
            <p class="hint" data-passkey-nojs="">"Passkeys need JavaScript."</p>
            <p class="passkey-status" role="status" aria-live="polite" data-passkey-status=""></p>
            <script type="module" src="/passkeys.js"></script>
        </div>
    }
}
