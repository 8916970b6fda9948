//! The list itself: rows for the active filter, the empty state, and the dialog the URL asks
//! for (one per page).

use crate::sessions::components::{
    filter::KindFilter,
    others_dialog::OthersDialog,
    proof::is_weak,
    revoke_dialog::{NotMeDialog, RevokeDialog},
    row::{STALE_AFTER_SECS, look_alikes, session_row},
    weak_dialog::{WeakButton, WeakDialog},
};
use crate::sessions::model::{SessionKind, SessionList, SessionView};
use crate::sessions::page_query::PageQuery;
use crate::sessions::server_fns::{
    RenameSession, RevokeOtherSessions, RevokeSession, SignOutUnusedSessions, SignOutWeakSessions,
};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::tachys::view::{Position, RenderHtml};

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

/// About the HTML of one row (2.3 KB on the benchmark's page), to size the list's buffer once.
const ROW_HTML_BYTES: usize = 2560;

fn matches(kind: Option<SessionKind>, session: &SessionView) -> bool {
    kind.is_none_or(|kind| session.kind == kind)
}

/// The sessions of `list` that the filter shows.
///
/// A server component rendered once (islands: nothing here reacts in the browser), so it works
/// on plain values: the counts are taken once, the rows get their sessions moved in, and there is
/// no `Show`, `For` or reactive closure whose machinery the page would pay for on every request
/// (the list was half of the page's server time; BENCHMARKS.md, "Islands").
#[component]
pub fn SessionListView(
    list: SessionList,
    kind: Option<SessionKind>,
    confirm: Confirm,
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
    rename: ServerAction<RenameSession>,
    renaming: Option<String>,
    bulk: BulkActions,
) -> impl IntoView {
    let unused = bulk.unused;
    let SessionList {
        sessions,
        now,
        reauth_required,
        idle_timeout_secs,
        max_sessions,
        account_has_factor: code_required,
        passkey_required,
    } = list;
    let max_sessions = max_sessions as usize;
    let count = |keep: &dyn Fn(&SessionView) -> bool| sessions.iter().filter(|s| keep(s)).count();
    let total = sessions.len();
    let others = count(&|s| !s.is_current);
    let new_count = count(&|s| s.is_new);
    let stale_count = count(&|s| !s.is_current && now - s.last_active_at.unix >= STALE_AFTER_SECS);
    let weak_count = count(&is_weak);
    let this_weak = count(&|s| s.is_current && is_weak(s)) > 0;
    let web = count(&|s| s.kind == SessionKind::Web);
    let shown = count(&|s| matches(kind, s));
    let close_href = PageQuery::filtered(kind).url();
    let find = |keep: &dyn Fn(&SessionView) -> bool| sessions.iter().find(|s| keep(s)).cloned();
    let dialog = match confirm {
        Confirm::Revoke(id) => find(&|s| s.id == id).map(|session| {
            view! { <RevokeDialog session action=revoke close_href=close_href.clone() kind /> }
                .into_any()
        }),
        Confirm::NotMe(id) => find(&|s| s.id == id && !s.is_current).map(|session| {
            view! { <NotMeDialog session action=revoke close_href=close_href.clone() /> }
                .into_any()
        }),
        Confirm::Others if others > 0 => Some(
            view! {
                <OthersDialog
                    count=others
                    reauth_required
                    code_required
                    passkey_required
                    action=revoke_others
                    close_href=close_href.clone()
                />
            }
            .into_any(),
        ),
        Confirm::Weak if weak_count > 0 => Some(
            view! {
                <WeakDialog count=weak_count this_device=this_weak action=bulk.weak close_href=close_href.clone() />
            }
            .into_any(),
        ),
        _ => None,
    };
    let look_alikes = look_alikes(&sessions);
    // Each row is written out as HTML as soon as it is built, into one buffer that becomes the
    // list's content: a row's view is a large value (every field, attribute and text of the
    // row), and collected first it would be moved, and copied again at every growth of the
    // vector, before being written. Nothing in a row is reactive (see above), so the HTML is
    // the same.
    let mut rows = String::with_capacity(shown * ROW_HTML_BYTES);
    for session in sessions.into_iter().filter(|s| matches(kind, s)) {
        let look_alike = look_alikes.get(&session.id).cloned();
        let rename = (renaming.as_deref() == Some(session.id.as_str())).then_some(rename);
        let row = session_row(session, now, idle_timeout_secs, kind, rename, look_alike);
        row.to_html_with_buf(&mut rows, &mut Position::FirstChild, true, false, vec![]);
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };

    view! {
        // The passkey step-up of the dialogs, which open after the page loaded (a script added
        // then does not run).
        {passkey_required.then(|| view! { <script type="module" src="/passkeys.js"></script> })}
        {(new_count > 0).then(|| view! {
            <p class="notice info new-sign-ins" role="status">
                {format!(
                    "{new_count} new sign-in{} since your last visit. If one was not you, use Not you? on it.",
                    plural(new_count)
                )}
            </p>
        })}
        {(max_sessions > 0 && total * 5 >= max_sessions * 4).then(|| view! {
            <p class="notice warning near-cap" role="status">
                {format!(
                    "{total} of at most {max_sessions} sessions are signed in. Past {max_sessions}, the least recently used one is signed out (it then shows under Recently ended).",
                )}
            </p>
        })}
        <KindFilter current=kind counts=(total, web, total - web) />
        <div class="list-actions">
            <p class="count" aria-live="polite">
                {format!("{total} active session{}", plural(total))}
            </p>
            {(stale_count > 0).then(|| view! {
                <ActionForm action=unused>
                    {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                    <button type="submit" class="button secondary" disabled=move || unused.pending().get()>
                        {format!("Sign out unused sessions ({stale_count})")}
                    </button>
                </ActionForm>
            })}
            {(weak_count > 0).then(|| view! { <WeakButton count=weak_count /> })}
            {(others > 0).then(|| view! {
                <form method="get" action="/settings/sessions">
                    <input type="hidden" name="signout_others" value="1" />
                    <button type="submit" id="signout-others-btn" class="button secondary">
                        "Sign out all other sessions"
                    </button>
                </form>
            })}
        </div>
        // `Either`, not `into_any`: an `AnyView` keeps its attributes cloneable, which would copy
        // the rows' HTML once more.
        {if shown > 0 {
            Either::Left(view! { <ul class="sessions" aria-labelledby="sessions-heading" inner_html=rows></ul> })
        } else {
            let message = match kind {
                Some(SessionKind::Cli) => "No CLI sessions.",
                Some(SessionKind::Web) => "No browser sessions.",
                None => "No active sessions.",
            };
            Either::Right(view! { <p class="empty">{message}</p> })
        }}
        {(others == 0 && kind.is_none()).then(|| view! {
            <p class="empty only-this">"Only this device is signed in."</p>
        })}
        {dialog}
    }
}
