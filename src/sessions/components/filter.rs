//! The kind filter: all / browser / CLI, as links so it works without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;

/// Links to `?kind=`; `current` is `None` for all.
#[component]
pub fn KindFilter(current: Memo<Option<String>>) -> impl IntoView {
    let item = move |value: Option<&'static str>, label: &'static str| {
        let href = match value {
            Some(kind) => format!("/settings/sessions?kind={kind}"),
            None => "/settings/sessions".to_owned(),
        };
        let is_current = move || (current.get().as_deref() == value).then_some("page");
        view! {
            <li>
                <A href=href attr:aria-current=is_current attr:class="filter-link">
                    {label}
                </A>
            </li>
        }
    };
    view! {
        <nav class="kind-filter" aria-label="Filter sessions by kind">
            <ul>{item(None, "All")} {item(Some("web"), "Browsers")} {item(Some("cli"), "CLI")}</ul>
        </nav>
    }
}
