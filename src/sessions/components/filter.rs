//! The kind filter: all / browser / CLI, as links so it works without JavaScript. Plain `<a>`
//! (the router still navigates client-side): the router's `<A>` marks every link to the same path
//! as the current page whatever its `?kind=`, so all three chips claimed to be current.

use crate::sessions::model::SessionKind;
use crate::sessions::page_query::PageQuery;
use leptos::prelude::*;

/// How many live sessions each chip stands for: all, browsers, CLI.
pub type KindCounts = (usize, usize, usize);

/// Links to `?kind=`, each with its count ("Browsers 3"); `current` is `None` for all.
#[component]
pub fn KindFilter(current: Memo<Option<SessionKind>>, counts: Signal<KindCounts>) -> impl IntoView {
    let item = move |value: Option<SessionKind>, label: &'static str| {
        let count = move || {
            let (all, web, cli) = counts.get();
            match value {
                None => all,
                Some(SessionKind::Web) => web,
                Some(SessionKind::Cli) => cli,
            }
        };
        let href = PageQuery::filtered(value).url();
        let is_current = move || (current.get() == value).then_some("page");
        view! {
            <li>
                <a href=href aria-current=is_current class="filter-link">
                    {label} " " <span class="chip-count">{count}</span>
                </a>
            </li>
        }
    };
    view! {
        <nav class="kind-filter" aria-label="Filter sessions by kind">
            <ul>{item(None, "All")} {item(Some(SessionKind::Web), "Browsers")} {item(Some(SessionKind::Cli), "CLI")}</ul>
        </nav>
    }
}
