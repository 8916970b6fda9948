//! "Sign out all other sessions", asking for the password when the last sign-in is not recent,
//! and for a code from the authenticator app or a passkey when the account has one (step-up at
//! its strongest factor).

use crate::factors::components::{PasskeyAction, PasskeyCeremony};
use crate::sessions::server_fns::RevokeOtherSessions;
use crate::ui::code_field::CodeField;
use crate::ui::dialog::ModalDialog;
use crate::ui::password_field::PasswordField;
use leptos::prelude::*;

/// Confirmation for ending `count` other sessions.
#[component]
pub fn OthersDialog(
    count: usize,
    reauth_required: bool,
    /// The account has an authenticator app: step-up asks for a code too.
    #[prop(optional)]
    code_required: bool,
    /// The account has a passkey: step-up asks for it instead (its strongest factor).
    #[prop(optional)]
    passkey_required: bool,
    action: ServerAction<RevokeOtherSessions>,
    close_href: String,
) -> impl IntoView {
    let plural = if count == 1 { "" } else { "s" };
    view! {
        <ModalDialog
            labelled_by="others-title"
            described_by="others-message"
            close_href=close_href.clone()
            return_focus="signout-others-btn".to_owned()
            class="danger"
        >
            <h2 id="others-title">"Sign out all other sessions?"</h2>
            <p id="others-message">
                {format!(
                    "{count} other session{plural} (browsers and CLI) will be signed out immediately. \
                     This device stays signed in.",
                )}
            </p>
            <ActionForm action=action attr:class="stack dialog-form">
                {passkey_required
                    .then(|| {
                        view! {
                            <p>"Confirm with your passkey first."</p>
                            <PasskeyAction
                                ceremony=PasskeyCeremony::StepUp
                                label="Confirm with your passkey"
                                id="others-passkey"
                            />
                        }
                    })}
                {(reauth_required && !passkey_required)
                    .then(|| {
                        view! {
                            <PasswordField
                                id="reauth-password"
                                name="password"
                                label="Confirm your password"
                            />
                            {code_required.then(|| view! { <CodeField id="reauth-code" /> })}
                        }
                    })}
                <div class="dialog-actions">
                    <a href=close_href class="button secondary">
                        "Cancel"
                    </a>
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>
                        "Sign out other sessions"
                    </button>
                </div>
            </ActionForm>
        </ModalDialog>
    }
}
