//! "Revoke Firefox on Ubuntu?" — and, for this device, the distinct warning that you will be
//! signed out here.

use crate::sessions::model::{SessionKind, SessionView};
use crate::sessions::server_fns::RevokeSession;
use crate::ui::dialog::ModalDialog;
use leptos::prelude::*;

/// Confirmation for revoking `session`.
#[component]
pub fn RevokeDialog(
    session: SessionView,
    action: ServerAction<RevokeSession>,
    close_href: String,
    kind: Option<SessionKind>,
) -> impl IntoView {
    let current = session.is_current;
    let title = if current {
        "Sign out of this device?".to_owned()
    } else {
        format!("Revoke {}?", session.name)
    };
    let message = if current {
        format!(
            "This is the device you are using now ({}). Revoking it signs you out here \
             immediately and you will need to sign in again.",
            session.name
        )
    } else {
        format!(
            "{} will be signed out immediately. Anyone using it will have to sign in again.",
            session.name
        )
    };
    let confirm_label = if current {
        "Sign out this device"
    } else {
        "Revoke session"
    };
    view! {
        <ModalDialog
            labelled_by="revoke-title"
            described_by="revoke-message"
            close_href=close_href.clone()
            return_focus=format!("revoke-btn-{}", session.id)
            class=if current { "danger current" } else { "danger" }
        >
            <h2 id="revoke-title">{title}</h2>
            <p id="revoke-message" class:warning=current>
                {current.then(|| view! { <strong>"Warning: "</strong> })}
                {message}
            </p>
            <ActionForm action=action attr:class="dialog-actions">
                <input type="hidden" name="id" value=session.id.clone() />
                {current.then(|| view! { <input type="hidden" name="confirm_current" value="true" /> })}
                {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                <a href=close_href class="button secondary" autofocus>
                    "Cancel"
                </a>
                <button type="submit" class="button danger" disabled=move || action.pending().get()>
                    {confirm_label}
                </button>
            </ActionForm>
        </ModalDialog>
    }
}
