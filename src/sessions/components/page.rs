//! `/settings/sessions`: every device signed in to the account, this one first.

use crate::error::AppError;
use crate::sessions::components::{
    list::{BulkActions, Confirm, SessionListView},
    recently_ended::RecentlyEnded,
};
use crate::sessions::page_query::PageQuery;
use crate::sessions::server_fns::{
    RenameSession, RevokeOtherSessions, RevokeSession, SignOutUnusedSessions, SignOutWeakSessions,
    list_ended_sessions, list_sessions,
};
use crate::ui::{layout::SignedInLayout, suspend::build_once};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// The Active sessions page.
#[component]
pub fn SessionsPage() -> impl IntoView {
    // Server components render once per request (islands), so the query is read once, untracked.
    let query = use_location()
        .search
        .with_untracked(|s| PageQuery::parse(s));
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let rename = ServerAction::<RenameSession>::new();
    let unused = ServerAction::<SignOutUnusedSessions>::new();
    let weak = ServerAction::<SignOutWeakSessions>::new();
    let bulk = BulkActions { unused, weak };
    // The page renders on the server only (islands): each action is a form post, after which
    // the page is read again. A plain visit records the visit; the pages of a dialog or a form
    // (`?revoke=`, `?not_me=`, `?rename=`, after a post) and the `PageEnhancer` island's re-reads
    // keep this visit's badges.
    let opening = query.is_plain() && !page_reload();
    let sessions = Resource::new(|| (), move |_| list_sessions(opening));
    let ended = Resource::new(|| (), |_| list_ended_sessions());

    let kind = query.kind;
    let confirm = if let Some(id) = query.revoke {
        Confirm::Revoke(id)
    } else if let Some(id) = query.not_me {
        Confirm::NotMe(id)
    } else if query.signout_others {
        Confirm::Others
    } else if query.signout_weak {
        Confirm::Weak
    } else {
        Confirm::None
    };
    let renaming = query.rename;
    let signed_out = query.signed_out.map(|n| {
        format!(
            "Signed out {n} other session{}.",
            if n == 1 { "" } else { "s" }
        )
    });
    let action_error = move || {
        let revoke_err = revoke.value().get().and_then(|r| r.err());
        let others_err = revoke_others.value().get().and_then(|r| r.err());
        let rename_err = rename.value().get().and_then(|r| r.err());
        let weak_err = weak.value().get().and_then(|r| r.err());
        if let Some(AppError::InvalidInput { message }) = &rename_err {
            return Some(format!("The name was not saved: {message}"));
        }
        revoke_err
            .or(others_err)
            .or(rename_err)
            .or(weak_err)
            .map(|e| match e {
                AppError::NotFound => "That session was already signed out.".to_owned(),
                other => format!("Could not sign out the session: {other}"),
            })
    };

    view! {
        <Title text="Active sessions" />
        <SignedInLayout enhance=true>
            <div class="page-head">
                <h1 id="sessions-heading" tabindex="-1">"Active sessions"</h1>
                <p class="lead">
                    "These devices are signed in to your account. If you don't recognise one, revoke it "
                    "and " <a href="/settings/password">"change your password"</a>
                    ": whoever signed in there knows it."
                </p>
            </div>
            <div class="notices" aria-live="polite">
                {signed_out.map(|m| view! { <p class="notice success" role="status">{m}</p> })}
                {move || action_error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            </div>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading sessions…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <div class="notice error" role="alert">
                            <p>"Your sessions could not be loaded."</p>
                            <ul>
                                {move || {
                                    errors
                                        .get()
                                        .into_iter()
                                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                                        .collect_view()
                                }}
                            </ul>
                            <p><a href="/settings/sessions">"Try again"</a></p>
                        </div>
                    }
                }>
                    {move || {
                        let (confirm, renaming) = (confirm.clone(), renaming.clone());
                        Suspend::new(async move {
                            let sessions = sessions.await;
                            build_once().await;
                            sessions.map(|list| {
                                view! {
                                    <SessionListView list kind confirm revoke revoke_others rename renaming bulk />
                                }
                            })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let ended = ended.await;
                    build_once().await;
                    ended.ok().map(|list| view! { <RecentlyEnded list /> })
                })}
            </Transition>
        </SignedInLayout>
    }
}

/// Whether this request re-reads the page after an action or a filter change made with
/// JavaScript (the `PageEnhancer` island sends `X-Page-Reload: 1`): like the reloads of the old
/// client, it keeps this visit's "New" badges instead of recording a new visit.
fn page_reload() -> bool {
    #[cfg(feature = "ssr")]
    return use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| parts.headers.contains_key("x-page-reload"));
    #[cfg(not(feature = "ssr"))]
    false
}
