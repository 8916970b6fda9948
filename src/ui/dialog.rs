//! A confirmation dialog whose open state lives in the URL (`?revoke=…`), so it works without
//! JavaScript (the server renders it open). With JavaScript the `PageEnhancer` island makes it a
//! real modal `<dialog>` (focus trapped inside, Escape to cancel, focus returned on close) from
//! its `data-*` attributes.

use leptos::prelude::*;

/// A modal dialog. `close_href` is where Cancel/Escape go; `return_focus` is the id of the
/// element to focus when it closes (falling back to the page heading).
#[component]
pub fn ModalDialog(
    /// Id of the dialog's heading.
    labelled_by: &'static str,
    /// Id of the dialog's description.
    described_by: &'static str,
    /// URL without the dialog.
    close_href: String,
    /// Element to focus afterwards.
    return_focus: String,
    /// Extra class (e.g. `danger`).
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <dialog
            open
            class=format!("confirm {class}")
            aria-labelledby=labelled_by
            aria-describedby=described_by
            data-modal=""
            data-close-href=close_href
            data-return-focus=return_focus
        >
            {children()}
        </dialog>
    }
}
