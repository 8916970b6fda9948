//! One session: icon, name, badges, details and the Revoke button.

use crate::sessions::components::device_icon::DeviceIcon;
use crate::sessions::model::{SessionKind, SessionView};
use crate::sessions::server_fns::{RenameSession, list_url};
use crate::ui::relative_time::RelativeTime;
use leptos::prelude::*;
use leptos_router::components::Form;

/// A row of the list. `kind` is the active filter, kept when the dialog opens; `renaming` is the
/// id whose inline rename form is open (`?rename=ID`).
#[component]
pub fn SessionRow(
    session: SessionView,
    now: i64,
    kind: Option<SessionKind>,
    rename: ServerAction<RenameSession>,
    renaming: Memo<Option<String>>,
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
        let close = list_url(kind, None);
        move || {
            let open = renaming.get().as_deref() == Some(id.as_str());
            let (id, current, close) = (id.clone(), current.clone(), close.clone());
            open.then(move || {
                let input_id = format!("label-{id}");
                // Opened with JavaScript, the field takes the focus (`autofocus` only acts on
                // page load, which is the no-JavaScript case).
                let field = NodeRef::<leptos::html::Input>::new();
                Effect::new(move |_| {
                    if let Some(el) = field.get() {
                        let _ = el.focus();
                    }
                });
                view! {
                    <ActionForm action=rename attr:class="rename-form">
                        <input type="hidden" name="id" value=id />
                        {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                        <label for=input_id.clone()>"Name for this session"</label>
                        <div class="rename-fields">
                            <input
                                node_ref=field
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
            <Form method="get" action="/settings/sessions" attr:class="row-action">
                {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                <input type="hidden" name="rename" value=id.clone() />
                <button type="submit" id=format!("rename-btn-{id}") class="button link" aria-label=label>
                    "Rename"
                </button>
            </Form>
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
        (Some(ip), None) => ip.clone(),
        (None, _) => "IP unknown".to_owned(),
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
            <Form method="get" action="/settings/sessions" attr:class="row-action not-me-action">
                {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                <input type="hidden" name="not_me" value=id />
                <button type="submit" id=button_id class="button link" aria-label=label>
                    "Not you?"
                </button>
            </Form>
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
                <p class="session-meta">
                    <span class="badge">{kind_label}</span>
                    " Signed in with " {session.sign_in_method.clone()} " · " {location}
                </p>
                <dl class="session-times">
                    <div>
                        <dt>"Last active"</dt>
                        <dd><RelativeTime at=session.last_active_at.clone() base_now=now active_now=true /></dd>
                    </div>
                    <div>
                        <dt>"Signed in"</dt>
                        <dd><RelativeTime at=session.created_at.clone() base_now=now /></dd>
                    </div>
                    <div>
                        <dt>"Expires"</dt>
                        <dd><RelativeTime at=session.expires_at.clone() base_now=now /></dd>
                    </div>
                </dl>
                <details class="raw-agent">
                    <summary>"Details"</summary>
                    {(!details.is_empty()).then(|| view! { <p>{details}</p> })}
                    <p>
                        "User agent: "
                        <code>{user_agent.unwrap_or_else(|| "(none sent)".to_owned())}</code>
                    </p>
                </details>
            </div>
            <div class="row-actions">
                <Form method="get" action="/settings/sessions" attr:class="row-action">
                    {kind.map(|k| view! { <input type="hidden" name="kind" value=k.as_str() /> })}
                    <input type="hidden" name="revoke" value=id_input />
                    <button type="submit" id=button_id class="button danger" aria-label=label>
                        "Revoke"
                    </button>
                </Form>
                {rename_button}
                {not_me}
            </div>
        </li>
    }
}
