//! One session: icon, name, badges, details and the Revoke button.

use crate::sessions::components::device_icon::DeviceIcon;
use crate::sessions::components::proof::{is_weak, proof_words};
use crate::sessions::model::{SessionKind, SessionView};
use crate::sessions::page_query::PageQuery;
use crate::sessions::server_fns::RenameSession;
use crate::ui::local_time::LocalTime;
use crate::ui::relative_time::{RelativeTime, duration_words};
use leptos::prelude::*;

pub use crate::sessions::model::STALE_AFTER_SECS;

/// How the session signed in, in words.
pub fn sign_in_method_words(method: &str) -> &'static str {
    match method {
        "password" => "Password",
        "cli" => "CLI sign-in",
        "dev" => "Developer login",
        "passkey" => "Passkey",
        _ => "Other sign-in",
    }
}

/// The row's warning when wrong current passwords were entered with the session (SEC-41).
pub fn reauth_failures_words(failures: u64) -> Option<String> {
    match failures {
        0 => None,
        1 => Some("Entered a wrong password once when asked to confirm it".to_owned()),
        n => Some(format!(
            "Entered a wrong password {n} times when asked to confirm it"
        )),
    }
}

/// What tells a session apart from others with the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookAlike {
    /// Its sign-in time (always shown).
    pub signed_in: crate::sessions::model::Timestamp,
    /// Its sign-in address, when the look-alikes' addresses differ.
    pub from: Option<String>,
    /// Started from the same browser as this device (its device record, not its user agent).
    pub same_browser: bool,
    /// The end of its id, when a look-alike also signed in within the same minute from the same
    /// place (nothing else tells them apart).
    pub id_tail: Option<String>,
}

/// For each session whose title (label or name) looks like another live session's, what differs.
/// Titles are compared by their look-alike key (worked out on the server), not as exact text:
/// "Firefox 132 on Ubuntu" with a zero-width space or a Cyrillic "о" is still a look-alike.
pub fn look_alikes(sessions: &[SessionView]) -> std::collections::HashMap<String, LookAlike> {
    sessions
        .iter()
        .filter_map(|s| {
            let twins: Vec<&SessionView> = sessions
                .iter()
                .filter(|o| o.id != s.id && o.look_alike_key == s.look_alike_key)
                .collect();
            (!twins.is_empty()).then(|| {
                let addresses_differ = twins.iter().any(|o| o.ip != s.ip);
                let minute = |v: &SessionView| v.created_at.unix / 60;
                let indistinct = twins.iter().any(|o| minute(o) == minute(s) && o.ip == s.ip);
                let tail_start = s.id.len().saturating_sub(4);
                let hint = LookAlike {
                    signed_in: s.created_at.clone(),
                    from: s.ip.clone().filter(|_| addresses_differ),
                    same_browser: s.same_browser,
                    id_tail: indistinct.then(|| s.id[tail_start..].to_owned()),
                };
                (s.id.clone(), hint)
            })
        })
        .collect()
}

/// A row of the list. `kind` is the active filter, kept when the dialog opens; `renaming` is the
/// id whose inline rename form is open (`?rename=ID`); `look_alike` tells this row apart from
/// others with the same name.
#[component]
pub fn SessionRow(
    session: SessionView,
    now: i64,
    idle_timeout_secs: i64,
    kind: Option<SessionKind>,
    rename: ServerAction<RenameSession>,
    renaming: Memo<Option<String>>,
    look_alike: Option<LookAlike>,
) -> impl IntoView {
    // A name the person gave the session is its title; the parsed name goes beneath.
    let title = session
        .label
        .clone()
        .unwrap_or_else(|| session.name.clone());
    let parsed = session.label.is_some().then(|| session.name.clone());
    let rename_form = {
        let id = session.id.clone();
        let current = session.label.clone().unwrap_or_default();
        let close = PageQuery::filtered(kind).url();
        move || {
            let open = renaming.get().as_deref() == Some(id.as_str());
            let (id, current, close) = (id.clone(), current.clone(), close.clone());
            open.then(move || {
                // `autofocus` acts on page load (without JavaScript); after a swap the
                // `PageEnhancer` island focuses it.
                let input_id = format!("label-{id}");
                view! {
                    <ActionForm action=rename attr:class="rename-form">
                        <input type="hidden" name="id" value=id />
                        {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                        <label for=input_id.clone()>"Name for this session"</label>
                        <div class="rename-fields">
                            <input
                                id=input_id
                                name="label"
                                maxlength="64"
                                autocomplete="off"
                                placeholder="e.g. Work laptop"
                                value=current
                                autofocus
                            />
                            <button type="submit" class="button primary" disabled=move || rename.pending().get()>
                                "Save"
                            </button>
                            <a href=close class="button secondary">"Cancel"</a>
                        </div>
                        <p class="hint">"Up to 64 characters. Leave empty to use the device name."</p>
                    </ActionForm>
                }
            })
        }
    };
    let rename_button = {
        let label = format!("Rename {title}");
        let id = session.id.clone();
        view! {
            <form method="get" action="/settings/sessions" class="row-action">
                {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                <input type="hidden" name="rename" value=id.clone() />
                <button type="submit" id=format!("rename-btn-{id}") class="button link" aria-label=label>
                    "Rename"
                </button>
            </form>
        }
    };
    let label = format!("Revoke {}", session.name);
    let button_id = format!("revoke-btn-{}", session.id);
    let kind_label = match session.kind {
        SessionKind::Web => "Browser",
        SessionKind::Cli => "CLI",
    };
    let location = match (&session.ip, &session.country) {
        (Some(ip), Some(country)) => format!("{ip} · {}", country.name),
        (Some(ip), None) => format!("{ip} · location unknown"),
        (None, _) => "an unknown address".to_owned(),
    };
    let location = match (&session.last_ip, &session.ip) {
        (Some(last), Some(first)) if last != first => format!("{location} · last seen from {last}"),
        _ => location,
    };
    let (method, weak) = (proof_words(&session), is_weak(&session));
    let unused_secs = now - session.last_active_at.unix;
    let stale = (unused_secs >= STALE_AFTER_SECS)
        .then(|| format!("Not used for {}", duration_words(unused_secs)));
    // The two limits as they work: unused for the idle timeout, or the end of the lifetime.
    let idle_words = duration_words(idle_timeout_secs);
    let lifetime_first = session.lifetime_ends_at.unix - now <= idle_timeout_secs;
    let expiry = if lifetime_first {
        view! { "Signs out on " <LocalTime at=session.lifetime_ends_at.clone() date_only=true /> " at the latest" }.into_any()
    } else {
        view! {
            {format!("Signs out after {idle_words} unused, at the latest on ")}
            <LocalTime at=session.lifetime_ends_at.clone() date_only=true />
        }
        .into_any()
    };
    let details = [
        session.client.client_name.as_ref().map(|n| {
            format!(
                "{n} {}",
                session.client.client_version.clone().unwrap_or_default()
            )
        }),
        session.client.os_name.as_ref().map(|os| {
            format!(
                "{os} {}",
                session.client.os_version.clone().unwrap_or_default()
            )
        }),
        session.client.device_brand.as_ref().map(|brand| {
            format!(
                "{brand} {}",
                session.client.device_model.clone().unwrap_or_default()
            )
        }),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim().to_owned())
    .collect::<Vec<_>>()
    .join(" · ");
    let user_agent = session.user_agent.clone();
    let id_attr = session.id.clone();
    let id_input = session.id.clone();
    // "Not you?" on every row but this device: revoke it and go change the password.
    let not_me = (!session.is_current).then(|| {
        let label = format!("Not you? {}", session.name);
        let button_id = format!("not-me-btn-{}", session.id);
        let id = session.id.clone();
        view! {
            <form method="get" action="/settings/sessions" class="row-action not-me-action">
                {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                <input type="hidden" name="not_me" value=id />
                <button type="submit" id=button_id class="button link" aria-label=label>
                    "Not you?"
                </button>
            </form>
        }
    });
    view! {
        <li class="session" class:current=session.is_current data-session-id=id_attr>
            <DeviceIcon device=session.device />
            <div class="session-main">
                <h2 class="session-name">
                    {title}
                    {session.is_current.then(|| view! { <span class="badge current-badge">"This device"</span> })}
                    {session.is_new.then(|| view! { <span class="badge new-badge">"New"</span> })}
                </h2>
                {parsed.map(|name| view! { <p class="session-parsed">{name}</p> })}
                {rename_form}
                <p class="session-meta" class:weak=weak>
                    <span class="badge">{kind_label}</span>
                    {format!(" {method} · Signed in from {location}")}
                    {(session.same_browser && look_alike.is_none()).then_some(" · same browser as this device")}
                </p>
                <p class="session-times">
                    <span class="activity">
                        <RelativeTime at=session.last_active_at.clone() base_now=now active_now=true prefix="Last active " />
                    </span>
                    " · "
                    <span class="signed-in">
                        <RelativeTime at=session.created_at.clone() base_now=now prefix="Signed in " />
                    </span>
                </p>
                {session.approved_from.clone().zip(session.approved_at.clone()).map(|(from, at)| view! {
                    <p class="approved-from">
                        {format!("Approved from {from}, ")} <LocalTime at />
                    </p>
                })}
                <p class="session-expiry">{expiry}</p>
                {stale.map(|s| view! { <p class="stale">{s}</p> })}
                {reauth_failures_words(session.reauth_failures).map(|w| view! { <p class="reauth-failures">{w}</p> })}
                {look_alike.map(|hint| view! {
                    <p class="look-alike">
                        "Same name as another session: signed in "
                        <LocalTime at=hint.signed_in />
                        {hint.from.map(|ip| format!(" from {ip}"))}
                        {hint.same_browser.then_some(" · same browser as this device")}
                        {hint.id_tail.map(|tail| format!(" · id ending {tail}"))}
                    </p>
                })}
                <details class="raw-agent">
                    <summary>"Details"</summary>
                    <p>
                        "Signed in: " <LocalTime at=session.created_at.clone() />
                        " · Last active: " <LocalTime at=session.last_active_at.clone() />
                    </p>
                    {(!details.is_empty()).then(|| view! { <p>{details}</p> })}
                    // The one place the raw text is shown (escaped, and said to be the
                    // client's own words): names are built from recognised words only (SEC-44).
                    <p class="as-sent">
                        "User agent, as sent by the device: "
                        <code>{user_agent.unwrap_or_else(|| "(none sent)".to_owned())}</code>
                    </p>
                </details>
            </div>
            <div class="row-actions">
                <form method="get" action="/settings/sessions" class="row-action">
                    {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                    <input type="hidden" name="revoke" value=id_input />
                    <button type="submit" id=button_id class="button secondary" aria-label=label>
                        "Revoke"
                    </button>
                </form>
                {rename_button}
                {not_me}
            </div>
        </li>
    }
}
