//! One session: icon, name, badges, details and the Revoke button.

use crate::sessions::components::device_icon::device_icon;
use crate::sessions::components::proof::{is_weak, proof_words};
use crate::sessions::model::{SessionKind, SessionView};
use crate::sessions::page_query::PageQuery;
use crate::sessions::server_fns::RenameSession;
use crate::ui::local_time::local_time;
use crate::ui::relative_time::{duration_words, relative_time};
use leptos::either::Either;
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

/// A row of the list. `kind` is the active filter, kept when a dialog opens; `rename` is given
/// when this row's inline rename form is open (`?rename=ID`); `look_alike` tells this row apart
/// from others with the same name.
///
/// A plain function that takes the session by value: the page renders it twenty times per
/// request, on the server only, so its fields move into the HTML instead of being cloned, and
/// nothing in it is reactive.
pub fn session_row(
    session: SessionView,
    now: i64,
    idle_timeout_secs: i64,
    kind: Option<SessionKind>,
    rename: Option<ServerAction<RenameSession>>,
    look_alike: Option<LookAlike>,
) -> impl IntoView {
    // A name the person gave the session is its title; the parsed name goes beneath.
    let (method, weak) = (proof_words(&session), is_weak(&session));
    let SessionView {
        id,
        is_current,
        kind: session_kind,
        device,
        name,
        client,
        user_agent,
        ip,
        last_ip,
        country,
        label,
        created_at,
        last_active_at,
        is_new,
        lifetime_ends_at,
        approved_from,
        approved_at,
        same_browser,
        reauth_failures,
        ..
    } = session;
    let rename_form = rename.map(|rename| {
        // `autofocus` acts on page load (without JavaScript); after a swap the `PageEnhancer`
        // island focuses it.
        let close = PageQuery::filtered(kind).url();
        let (form_id, input_id) = (id.clone(), format!("label-{id}"));
        let current = label.clone().unwrap_or_default();
        view! {
            <ActionForm action=rename attr:class="rename-form">
                <input type="hidden" name="id" value=form_id />
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
    });
    let (title, parsed) = match label {
        Some(label) => (label, Some(name.clone())),
        None => (name.clone(), None),
    };
    let kind_label = match session_kind {
        SessionKind::Web => "Browser",
        SessionKind::Cli => "CLI",
    };
    let location = match (&ip, &country) {
        (Some(ip), Some(country)) => format!("{ip} · {}", country.name),
        (Some(ip), None) => format!("{ip} · location unknown"),
        (None, _) => "an unknown address".to_owned(),
    };
    let location = match (&last_ip, &ip) {
        (Some(last), Some(first)) if last != first => format!("{location} · last seen from {last}"),
        _ => location,
    };
    let unused_secs = now - last_active_at.unix;
    let stale = (unused_secs >= STALE_AFTER_SECS)
        .then(|| format!("Not used for {}", duration_words(unused_secs)));
    // The two limits as they work: unused for the idle timeout, or the end of the lifetime.
    let lifetime_first = lifetime_ends_at.unix - now <= idle_timeout_secs;
    let expiry = if lifetime_first {
        Either::Left(
            view! { "Signs out on " {local_time(lifetime_ends_at, true)} " at the latest" },
        )
    } else {
        Either::Right(view! {
            {format!("Signs out after {} unused, at the latest on ", duration_words(idle_timeout_secs))}
            {local_time(lifetime_ends_at, true)}
        })
    };
    let details = [
        client
            .client_name
            .map(|n| format!("{n} {}", client.client_version.unwrap_or_default())),
        client
            .os_name
            .map(|os| format!("{os} {}", client.os_version.unwrap_or_default())),
        client
            .device_brand
            .map(|brand| format!("{brand} {}", client.device_model.unwrap_or_default())),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim().to_owned())
    .collect::<Vec<_>>()
    .join(" · ");
    // "Not you?" on every row but this device: revoke it and go change the password.
    let not_me = (!is_current).then(|| {
        let button = RowButton {
            id_prefix: "not-me-btn",
            class: "button link",
            text: "Not you?",
        };
        row_action(
            "row-action not-me-action",
            "not_me",
            &id,
            kind,
            button,
            format!("Not you? {name}"),
        )
    });
    let same_browser_words =
        (same_browser && look_alike.is_none()).then_some(" · same browser as this device");
    view! {
        <li class="session" class:current=is_current data-session-id=id.clone()>
            {device_icon(device)}
            <div class="session-main">
                <h2 class="session-name">
                    {title.clone()}
                    {is_current.then(|| view! { <span class="badge current-badge">"This device"</span> })}
                    {is_new.then(|| view! { <span class="badge new-badge">"New"</span> })}
                </h2>
                {parsed.map(|name| view! { <p class="session-parsed">{name}</p> })}
                {rename_form}
                <p class="session-meta" class:weak=weak>
                    <span class="badge">{kind_label}</span>
                    {format!(" {method} · Signed in from {location}")}
                    {same_browser_words}
                </p>
                <p class="session-times">
                    <span class="activity">
                        {relative_time(last_active_at.clone(), now, "Last active ", true)}
                    </span>
                    " · "
                    <span class="signed-in">
                        {relative_time(created_at.clone(), now, "Signed in ", false)}
                    </span>
                </p>
                {approved_from.zip(approved_at).map(|(from, at)| view! {
                    <p class="approved-from">
                        {format!("Approved from {from}, ")} {local_time(at, false)}
                    </p>
                })}
                <p class="session-expiry">{expiry}</p>
                {stale.map(|s| view! { <p class="stale">{s}</p> })}
                {reauth_failures_words(reauth_failures).map(|w| view! { <p class="reauth-failures">{w}</p> })}
                {look_alike.map(|hint| view! {
                    <p class="look-alike">
                        "Same name as another session: signed in "
                        {local_time(hint.signed_in, false)}
                        {hint.from.map(|ip| format!(" from {ip}"))}
                        {hint.same_browser.then_some(" · same browser as this device")}
                        {hint.id_tail.map(|tail| format!(" · id ending {tail}"))}
                    </p>
                })}
                <details class="raw-agent">
                    <summary>"Details"</summary>
                    <p>
                        "Signed in: " {local_time(created_at, false)}
                        " · Last active: " {local_time(last_active_at, false)}
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
                {row_action("row-action", "revoke", &id, kind, REVOKE, format!("Revoke {name}"))}
                {row_action("row-action", "rename", &id, kind, RENAME, format!("Rename {title}"))}
                {not_me}
            </div>
        </li>
    }
}

/// The button of a row's action form.
struct RowButton {
    /// Its id is this, a dash and the session's id (dialogs return focus to it).
    id_prefix: &'static str,
    class: &'static str,
    text: &'static str,
}

const REVOKE: RowButton = RowButton {
    id_prefix: "revoke-btn",
    class: "button secondary",
    text: "Revoke",
};

const RENAME: RowButton = RowButton {
    id_prefix: "rename-btn",
    class: "button link",
    text: "Rename",
};

/// One of a row's actions: a plain GET form to the page with `param=ID` (and the filter), which
/// opens that action's dialog or field, with or without JavaScript.
fn row_action(
    class: &'static str,
    param: &'static str,
    id: &str,
    kind: Option<SessionKind>,
    button: RowButton,
    label: String,
) -> impl IntoView + use<> {
    view! {
        <form method="get" action="/settings/sessions" class=class>
            {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
            <input type="hidden" name=param value=id.to_owned() />
            <button type="submit" id=format!("{}-{id}", button.id_prefix) class=button.class aria-label=label>
                {button.text}
            </button>
        </form>
    }
}
