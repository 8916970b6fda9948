//! "Sign out sessions without two-step": the button (a link to the dialog, so it works without
//! JavaScript) and the confirmation, with the this-device warning when this session is one of
//! them.

use crate::sessions::server_fns::SignOutWeakSessions;
use crate::ui::dialog::ModalDialog;
use leptos::prelude::*;

/// The button that opens the dialog, for `count` sessions without two-step.
#[component]
pub fn WeakButton(count: usize) -> impl IntoView {
    view! {
        <form method="get" action="/settings/sessions">
            <input type="hidden" name="signout_weak" value="1" />
            <button type="submit" id="signout-weak-btn" class="button secondary">
                {format!("Sign out sessions without two-step ({count})")}
            </button>
        </form>
    }
}

/// Confirmation for ending `count` sessions that proved the password alone.
#[component]
pub fn WeakDialog(
    count: usize,
    this_device: bool,
    action: ServerAction<SignOutWeakSessions>,
    close_href: String,
) -> impl IntoView {
    let plural = if count == 1 { "" } else { "s" };
    let stays = if this_device {
        " This device is one of them: you will be signed out here too."
    } else {
        " This device stays signed in."
    };
    view! {
        <ModalDialog
            labelled_by="weak-title"
            described_by="weak-message"
            close_href=close_href.clone()
            return_focus="signout-weak-btn".to_owned()
            class="danger"
        >
            <h2 id="weak-title">"Sign out sessions without two-step?"</h2>
            <p id="weak-message">
                {format!(
                    "{count} session{plural} signed in with the password alone will be signed out immediately.{stays}"
                )}
            </p>
            <ActionForm action=action attr:class="stack dialog-form">
                {this_device.then(|| view! { <input type="hidden" name="confirm_current" value="true" /> })}
                <div class="dialog-actions">
                    <a href=close_href class="button secondary">
                        "Cancel"
                    </a>
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>
                        "Sign out sessions without two-step"
                    </button>
                </div>
            </ActionForm>
        </ModalDialog>
    }
}
