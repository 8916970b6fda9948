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
pub fn KindFilter(current: Option<SessionKind>, counts: KindCounts) -> impl IntoView {
    let (all, web, cli) = counts;
    let item = |value: Option<SessionKind>, label: &'static str, count: usize| {
        let href = PageQuery::filtered(value).url();
        let is_current = (current == value).then_some("page");
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
            <ul>
                {item(None, "All", all)} {item(Some(SessionKind::Web), "Browsers", web)}
                {item(Some(SessionKind::Cli), "CLI", cli)}
            </ul>
        </nav>
    }
}
