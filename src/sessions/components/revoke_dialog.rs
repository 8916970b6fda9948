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
    let approved = session.approved_cli.clone();
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
                {(!approved.is_empty()).then(|| {
                    let n = approved.len();
                    view! {
                        <label class="also-approved">
                            <input type="checkbox" name="also_approved" value="true" />
                            {format!(
                                " Also revoke the {n} CLI session{} it approved",
                                if n == 1 { "" } else { "s" }
                            )}
                        </label>
                    }
                })}
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

/// "Not you?": revokes `session` and continues to the password page, since whoever used it
/// knows the password.
#[component]
pub fn NotMeDialog(
    session: SessionView,
    action: ServerAction<RevokeSession>,
    close_href: String,
) -> impl IntoView {
    view! {
        <ModalDialog
            labelled_by="not-me-title"
            described_by="not-me-message"
            close_href=close_href.clone()
            return_focus=format!("not-me-btn-{}", session.id)
            class="danger"
        >
            <h2 id="not-me-title">{format!("Not you on {}?", session.name)}</h2>
            <p id="not-me-message">
                {format!("{} will be signed out immediately. ", session.name)}
                "Whoever signed in there knows your password, so next you will change it; "
                "that signs out every other session too."
            </p>
            <ActionForm action=action attr:class="dialog-actions">
                <input type="hidden" name="id" value=session.id.clone() />
                <input type="hidden" name="not_me" value="true" />
                <a href=close_href class="button secondary" autofocus>
                    "Cancel"
                </a>
                <button type="submit" class="button danger" disabled=move || action.pending().get()>
                    "Sign out and change password"
                </button>
            </ActionForm>
        </ModalDialog>
    }
}
