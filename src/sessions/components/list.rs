//! The list itself: rows for the active filter, the empty state, and the dialog the URL asks
//! for (one per page).

use crate::sessions::components::{
    filter::KindFilter,
    others_dialog::OthersDialog,
    proof::is_weak,
    revoke_dialog::{NotMeDialog, RevokeDialog},
    row::SessionRow,
    weak_dialog::{WeakButton, WeakDialog},
};
use crate::sessions::model::{SessionKind, SessionList, SessionView};
use crate::sessions::page_query::PageQuery;
use crate::sessions::server_fns::{
    RenameSession, RevokeOtherSessions, RevokeSession, SignOutUnusedSessions, SignOutWeakSessions,
};
use leptos::prelude::*;

/// Which dialog the URL asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// No dialog.
    None,
    /// `?revoke=ID`.
    Revoke(String),
    /// `?signout_others=1`.
    Others,
    /// `?not_me=ID`.
    NotMe(String),
    /// `?signout_weak=1`.
    Weak,
}

/// The page's actions on many sessions at once.
#[derive(Clone, Copy)]
pub struct BulkActions {
    /// "Sign out unused sessions".
    pub unused: ServerAction<SignOutUnusedSessions>,
    /// "Sign out sessions without two-step".
    pub weak: ServerAction<SignOutWeakSessions>,
}

fn matches(kind: Option<SessionKind>, session: &SessionView) -> bool {
    kind.is_none_or(|kind| session.kind == kind)
}

/// The sessions of `list` that the filter shows.
#[component]
pub fn SessionListView(
    list: SessionList,
    kind: Memo<Option<SessionKind>>,
    confirm: Memo<Confirm>,
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
    rename: ServerAction<RenameSession>,
    renaming: Memo<Option<String>>,
    bulk: BulkActions,
) -> impl IntoView {
    let unused = bulk.unused;
    let now = list.now;
    let reauth_required = list.reauth_required;
    let code_required = list.account_has_factor;
    let passkey_required = list.passkey_required;
    let idle_timeout_secs = list.idle_timeout_secs;
    let max_sessions = list.max_sessions as usize;
    let look_alikes = StoredValue::new(crate::sessions::components::row::look_alikes(
        &list.sessions,
    ));
    let all = StoredValue::new(list.sessions);
    // The counts read the stored list in place: each of them cloning the whole list made a fifth
    // of the page's server time (BENCHMARKS.md).
    let count = move |keep: &dyn Fn(&SessionView) -> bool| {
        all.with_value(|all| all.iter().filter(|s| keep(s)).count())
    };
    let find = move |keep: &dyn Fn(&SessionView) -> bool| {
        all.with_value(|all| all.iter().find(|s| keep(s)).cloned())
    };
    let shown = move || {
        let kind = kind.get();
        all.with_value(|all| {
            all.iter()
                .filter(|s| matches(kind, s))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let others = move || count(&|s| !s.is_current);
    let new_count = move || count(&|s| s.is_new);
    let stale_count = move || {
        count(&|s| {
            !s.is_current
                && now - s.last_active_at.unix >= crate::sessions::components::row::STALE_AFTER_SECS
        })
    };
    let total = move || count(&|_| true);
    let weak_count = move || count(&|s| is_weak(s));
    let this_weak = move || count(&|s| s.is_current && is_weak(s)) > 0;
    let counts = Signal::derive(move || {
        let web = count(&|s| s.kind == SessionKind::Web);
        (total(), web, total() - web)
    });
    let close_href = move || PageQuery::filtered(kind.get()).url();

    view! {
        // The passkey step-up of the dialogs, which open after the page loaded (a script added
        // then does not run).
        {passkey_required.then(|| view! { <script type="module" src="/passkeys.js"></script> })}
        <Show when=move || { new_count() > 0 }>
            <p class="notice info new-sign-ins" role="status">
                {move || {
                    let n = new_count();
                    format!(
                        "{n} new sign-in{} since your last visit. If one was not you, use Not you? on it.",
                        if n == 1 { "" } else { "s" }
                    )
                }}
            </p>
        </Show>
        <Show when=move || { max_sessions > 0 && total() * 5 >= max_sessions * 4 }>
            <p class="notice warning near-cap" role="status">
                {move || format!(
                    "{} of at most {max_sessions} sessions are signed in. Past {max_sessions}, the least recently used one is signed out (it then shows under Recently ended).",
                    total()
                )}
            </p>
        </Show>
        <KindFilter current=kind counts />
        <div class="list-actions">
            <p class="count" aria-live="polite">
                {move || {
                    let n = total();
                    format!("{n} active session{}", if n == 1 { "" } else { "s" })
                }}
            </p>
            <Show when=move || { stale_count() > 0 }>
                <ActionForm action=unused>
                    {move || kind.get().map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                    <button type="submit" class="button secondary" disabled=move || unused.pending().get()>
                        {move || format!("Sign out unused sessions ({})", stale_count())}
                    </button>
                </ActionForm>
            </Show>
            <Show when=move || { weak_count() > 0 }>
                <WeakButton count=weak_count() />
            </Show>
            <Show when=move || { others() > 0 }>
                <form method="get" action="/settings/sessions">
                    <input type="hidden" name="signout_others" value="1" />
                    <button type="submit" id="signout-others-btn" class="button secondary">
                        "Sign out all other sessions"
                    </button>
                </form>
            </Show>
        </div>
        <Show
            when=move || !shown().is_empty()
            fallback=move || {
                let message = match kind.get() {
                    Some(SessionKind::Cli) => "No CLI sessions.",
                    Some(SessionKind::Web) => "No browser sessions.",
                    None => "No active sessions.",
                };
                view! { <p class="empty">{message}</p> }
            }
        >
            <ul class="sessions" aria-labelledby="sessions-heading">
                <For
                    each=shown
                    key=|s| s.id.clone()
                    children=move |session| {
                        let look_alike = look_alikes.with_value(|m| m.get(&session.id).cloned());
                        view! {
                            <SessionRow session now idle_timeout_secs kind=kind.get_untracked() rename renaming look_alike />
                        }
                    }
                />
            </ul>
        </Show>
        <Show when=move || others() == 0 && kind.get().is_none()>
            <p class="empty only-this">"Only this device is signed in."</p>
        </Show>
        {move || match confirm.get() {
            Confirm::Revoke(id) => {
                find(&|s| s.id == id)
                    .map(|session| {
                        view! {
                            <RevokeDialog
                                session
                                action=revoke
                                close_href=close_href()
                                kind=kind.get_untracked()
                            />
                        }
                            .into_any()
                    })
            }
            Confirm::NotMe(id) => {
                find(&|s| s.id == id && !s.is_current)
                    .map(|session| {
                        view! { <NotMeDialog session action=revoke close_href=close_href() /> }
                            .into_any()
                    })
            }
            Confirm::Others if others() > 0 => {
                Some(
                    view! {
                        <OthersDialog
                            count=others()
                            reauth_required
                            code_required
                            passkey_required
                            action=revoke_others
                            close_href=close_href()
                        />
                    }
                        .into_any(),
                )
            }
            Confirm::Weak if weak_count() > 0 => {
                let (count, this_device) = (weak_count(), this_weak());
                let close_href = close_href();
                Some(view! { <WeakDialog count this_device action=bulk.weak close_href /> }.into_any())
            }
            _ => None,
        }}
    }
}
