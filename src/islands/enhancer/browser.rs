//! The listeners: form submits, same-page link clicks, Back/Forward, and the modal dialog.

use super::swap::{Visit, visit};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{Document, Element, HtmlElement, HtmlFormElement, Url};

/// The element that marks the region this island enhances and swaps.
pub const REGION: &str = "main[data-enhance]";

pub(super) fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Listens on `document` (so swapped content needs no new listeners) and opens the server's
/// dialog, if any.
pub fn install() {
    let Some(doc) = document() else {
        return;
    };
    if doc.query_selector(REGION).ok().flatten().is_none() {
        return;
    }
    open_dialog(&doc);
    let on_submit = Closure::<dyn Fn(web_sys::SubmitEvent)>::new(on_submit);
    let _ = doc.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(on_click);
    let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    // Back and Forward between the states this island pushed: show that URL's page.
    let on_pop = Closure::<dyn Fn(web_sys::Event)>::new(|_| {
        if let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) {
            wasm_bindgen_futures::spawn_local(visit(Visit::get(href, None, false)));
        }
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    on_pop.forget();
}

/// The server renders a requested dialog as `<dialog open data-modal>` (a plain dialog, as
/// without JavaScript); make it modal: focus inside it, the rest inert, Escape to cancel. Returns
/// whether there was one.
pub fn open_dialog(doc: &Document) -> bool {
    let Some(dialog) = doc
        .query_selector("dialog[open][data-modal]")
        .ok()
        .flatten()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDialogElement>().ok())
    else {
        return false;
    };
    // Removing the attribute (not `close()`) fires no `close` event.
    let _ = dialog.remove_attribute("open");
    let _ = dialog.show_modal();
    let closed = dialog.clone();
    // Escape closes a modal dialog natively; then show the page without it (the URL without
    // `?revoke=…`) and give the focus back to the button that opened it. A dialog that left the
    // document because the page was swapped is not "closed" by the person.
    let on_close = Closure::once_into_js(move |_: web_sys::Event| {
        if !closed.is_connected() {
            return;
        }
        if let Some(href) = closed.get_attribute("data-close-href") {
            let focus = closed.get_attribute("data-return-focus");
            wasm_bindgen_futures::spawn_local(visit(Visit::get(href, focus, true)));
        }
    });
    let _ = dialog.add_event_listener_with_callback("close", on_close.unchecked_ref());
    true
}

/// What gets the focus after the swap: the `data-return-focus` of the dialog the control is in,
/// else the control's own id (when the new page still has it).
fn return_focus(control: &Element) -> Option<String> {
    control
        .closest("[data-return-focus]")
        .ok()
        .flatten()
        .and_then(|d| d.get_attribute("data-return-focus"))
        .or_else(|| Some(control.id()).filter(|id| !id.is_empty()))
}

fn on_submit(event: web_sys::SubmitEvent) {
    if event.default_prevented() {
        return;
    }
    let Some(form) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    if form.closest(REGION).ok().flatten().is_none() || !form.target().is_empty() {
        return;
    }
    let (Ok(url), Some(location)) = (
        Url::new(&form.action()),
        web_sys::window().map(|w| w.location()),
    ) else {
        return;
    };
    if Some(url.origin()) != location.origin().ok() {
        return;
    }
    let Ok(data) = web_sys::FormData::new_with_form(&form) else {
        return;
    };
    let submitter = event.submitter();
    if let Some(button) = &submitter {
        let name = button.get_attribute("name").unwrap_or_default();
        if !name.is_empty() {
            let _ = data.append_with_str(&name, &button.get_attribute("value").unwrap_or_default());
        }
    }
    let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
        return;
    };
    event.prevent_default();
    let control: &Element = match &submitter {
        Some(button) => button,
        None => &form,
    };
    let focus = return_focus(control);
    if form.method().eq_ignore_ascii_case("post") {
        let button = submitter.and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok());
        if let Some(button) = &button {
            button.set_disabled(true);
        }
        let visit_ = Visit {
            url: url.href(),
            body: Some(params),
            focus,
            push: true,
            button,
        };
        wasm_bindgen_futures::spawn_local(visit(visit_));
    } else {
        url.set_search(&String::from(params.to_string()));
        wasm_bindgen_futures::spawn_local(visit(Visit::get(url.href(), focus, true)));
    }
}

fn on_click(event: web_sys::MouseEvent) {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let Some(link) = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest(&format!("{REGION} a[href]")).ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let (Ok(url), Some(location)) = (
        Url::new(&link.href()),
        web_sys::window().map(|w| w.location()),
    ) else {
        return;
    };
    // Only this page with other query parameters (the filter, Cancel); anything else, an
    // in-page anchor or a new tab is the browser's.
    let same_page = Some(url.origin()) == location.origin().ok()
        && Some(url.pathname()) == location.pathname().ok()
        && url.hash().is_empty();
    if !same_page || !link.target().is_empty() || link.has_attribute("download") {
        return;
    }
    event.prevent_default();
    let focus = return_focus(&link);
    wasm_bindgen_futures::spawn_local(visit(Visit::get(url.href(), focus, true)));
}

/// Focuses the element with `id`, if the page has it.
pub fn focus_id(doc: &Document, id: &str) -> bool {
    doc.get_element_by_id(id)
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        .map(|el| el.focus().is_ok())
        .unwrap_or(false)
}
