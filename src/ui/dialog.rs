//! A confirmation dialog whose open state lives in the URL (`?revoke=…`), so it works without
//! JavaScript (the server renders it open) and, with JavaScript, becomes a real modal `<dialog>`
//! with focus trapped inside, Escape to cancel and focus returned on close.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

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
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(el) = dialog.get() {
            // Rendered open by the server as a plain dialog; reopen it as a modal one. Removing
            // the attribute (not `close()`) fires no `close` event.
            let _ = el.remove_attribute("open");
            let _ = el.show_modal();
        }
    });
    on_cleanup(move || {
        // When this runs the dialog may still be in the document and modal (a confirmed revoke
        // removes it, not Escape), which makes the rest of the page inert and a focus() there
        // a no-op; and the row whose button opened it may be about to go. So move focus on the
        // next frame, once both are settled.
        #[cfg(feature = "hydrate")]
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let target = doc
                .get_element_by_id(&return_focus)
                .or_else(|| doc.get_element_by_id("sessions-heading"));
            if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = &return_focus;
    });
    let navigate = use_navigate();
    let close = close_href.clone();
    view! {
        <dialog
            node_ref=dialog
            open
            class=format!("confirm {class}")
            aria-labelledby=labelled_by
            aria-describedby=described_by
            // Escape closes a modal dialog natively; then drop `?revoke=…` from the URL too.
            on:close=move |_: leptos::ev::Event| navigate(&close, Default::default())
        >
            {children()}
        </dialog>
    }
}
