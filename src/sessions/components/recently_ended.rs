//! "Recently ended": a collapsed section under the list with every session that ended in the
//! last 30 days, how, and whether its token came back afterwards.

use crate::sessions::model::EndedList;
use crate::ui::relative_time::relative_time;
use leptos::prelude::*;

/// The section.
#[component]
pub fn RecentlyEnded(list: EndedList) -> impl IntoView {
    let now = list.now;
    let count = list.items.len();
    let items = list
        .items
        .into_iter()
        .map(|item| {
            view! {
                <li class="ended-item" data-session-id=item.id>
                    <p class="ended-title">
                        <strong>{item.title}</strong>
                        {item.name.map(|name| view! { <span class="ended-name">{format!(" · {name}")}</span> })}
                    </p>
                    <p class="ended-how">
                        {item.how} " · ended " {relative_time(item.ended_at, now, "", false)}
                    </p>
                    {item.refused.map(|r| view! { <p class="ended-refused">{r}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="ended">
            <summary>
                <h2 id="ended-heading">"Recently ended"</h2>
                <span class="chip-count">{count}</span>
            </summary>
            {(count == 0).then(|| view! { <p class="empty">"No session ended in the last 30 days."</p> })}
            <ul class="ended-list" aria-labelledby="ended-heading">
                {items}
            </ul>
        </details>
    }
}
