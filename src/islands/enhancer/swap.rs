//! One visit: fetch the server's page for a form or link, then swap its `<main>` into this one.

use super::browser::{REGION, document, focus_id, open_dialog};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlButtonElement, UrlSearchParams};

/// A request the page makes instead of the browser.
pub struct Visit {
    /// Absolute URL.
    pub url: String,
    /// The form's fields, for a POST.
    pub body: Option<UrlSearchParams>,
    /// Id of the element to focus afterwards (when the new page has it).
    pub focus: Option<String>,
    /// Add a history entry (not when following Back or Forward).
    pub push: bool,
    /// The submit button, disabled while the request is in flight.
    pub button: Option<HtmlButtonElement>,
}

impl Visit {
    /// A GET of `url`.
    pub fn get(url: String, focus: Option<String>, push: bool) -> Self {
        Self {
            url,
            body: None,
            focus,
            push,
            button: None,
        }
    }
}

/// Fetches `url` the way the browser would submit it, with `X-Page-Reload: 1` so the sessions
/// page keeps this visit's "New" badges (the page is re-read, not visited again); returns the
/// final URL after redirects and the HTML.
async fn fetch_page(visit: &Visit) -> Result<(String, String), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let headers = web_sys::Headers::new()?;
    headers.set("Accept", "text/html")?;
    headers.set("X-Page-Reload", "1")?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    if let Some(body) = &visit.body {
        init.set_method("POST");
        init.set_body_opt_url_search_params(Some(body));
    }
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&visit.url, &init))
            .await?
            .dyn_into()?;
    let html = JsFuture::from(response.text()?).await?;
    Ok((response.url(), html.as_string().unwrap_or_default()))
}

/// Runs `visit`: the new page swapped in, another page loaded, or the failure said.
pub async fn visit(visit: Visit) {
    match fetch_page(&visit).await {
        Ok((url, html)) => {
            if swap(&url, &html, &visit).is_none()
                && let Some(window) = web_sys::window()
            {
                let _ = window.location().assign(&url);
            }
        }
        Err(_) if visit.body.is_none() => {
            // A link or GET form: let the browser try (and show its own error).
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&visit.url);
            }
        }
        Err(_) => failed(&visit),
    }
}

/// Replaces the content of this page's `main` with the new page's, when the server answered with
/// this same page (another path, such as `/login` after signing this device out, is loaded
/// whole: `None`).
fn swap(url: &str, html: &str, visit: &Visit) -> Option<()> {
    let window = web_sys::window()?;
    let doc = document()?;
    if web_sys::Url::new(url).ok()?.pathname() != window.location().pathname().ok()? {
        return None;
    }
    let parsed = web_sys::DomParser::new()
        .ok()?
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()?;
    let new_main = parsed.query_selector(REGION).ok()??;
    let old_main = doc.query_selector(REGION).ok()??;
    replace_content(&old_main, &new_main)?;
    doc.set_title(&parsed.title());
    if visit.push {
        let _ = window
            .history()
            .ok()?
            .push_state_with_url(&JsValue::NULL, "", Some(url));
    }
    crate::islands::clock::refresh();
    if open_dialog(&doc) {
        return Some(());
    }
    let autofocus = old_main
        .query_selector("[autofocus]")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    let focused = match autofocus {
        Some(el) => el.focus().is_ok(),
        None => visit.focus.as_deref().is_some_and(|id| focus_id(&doc, id)),
    };
    if !focused {
        focus_id(&doc, "sessions-heading");
    }
    Some(())
}

/// Moves `new_main`'s children into `old_main`. The `.notices` live region stays the same element
/// (only its content changes), so screen readers announce the new status or error.
fn replace_content(old_main: &Element, new_main: &Element) -> Option<()> {
    let kept = old_main.query_selector(":scope > .notices").ok().flatten();
    let incoming = new_main.query_selector(":scope > .notices").ok().flatten();
    let (Some(kept), Some(incoming)) = (kept, incoming) else {
        old_main.set_inner_html(&new_main.inner_html());
        return Some(());
    };
    while let Some(node) = kept.previous_sibling() {
        old_main.remove_child(&node).ok()?;
    }
    while let Some(node) = kept.next_sibling() {
        old_main.remove_child(&node).ok()?;
    }
    kept.set_inner_html(&incoming.inner_html());
    while let Some(node) = new_main.first_child() {
        if node.is_same_node(Some(&incoming)) {
            new_main.remove_child(&node).ok()?;
            break;
        }
        old_main.insert_before(&node, Some(&kept)).ok()?;
    }
    while let Some(node) = new_main.first_child() {
        old_main.append_child(&node).ok()?;
    }
    Some(())
}

/// The request never reached the server (or its answer never came back): nothing changed there.
/// Close the dialog, say so in the page's alert region, and give the focus back.
fn failed(visit: &Visit) {
    let Some(doc) = document() else {
        return;
    };
    if let Some(button) = &visit.button {
        button.set_disabled(false);
    }
    if let Some(dialog) = doc.query_selector("dialog[data-modal]").ok().flatten() {
        if let (Some(href), Some(history)) = (
            dialog.get_attribute("data-close-href"),
            web_sys::window().and_then(|w| w.history().ok()),
        ) {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&href));
        }
        dialog.remove();
    }
    let message = if visit.url.ends_with("/rename") {
        "The name was not saved: the network failed. Try again."
    } else {
        "Could not sign out the session: the network failed. Try again."
    };
    if let Some(notices) = doc
        .query_selector(&format!("{REGION} .notices"))
        .ok()
        .flatten()
        && let Ok(alert) = doc.create_element("p")
    {
        alert.set_class_name("notice error");
        let _ = alert.set_attribute("role", "alert");
        alert.set_text_content(Some(message));
        notices.set_text_content(None);
        let _ = notices.append_child(&alert);
    }
    if !visit.focus.as_deref().is_some_and(|id| focus_id(&doc, id)) {
        focus_id(&doc, "sessions-heading");
    }
}
