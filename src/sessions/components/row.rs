//! One session: icon, name, badges, details and the Revoke button.

use crate::sessions::components::device_icon::DeviceIcon;
use crate::sessions::model::{SessionKind, SessionView};
use crate::ui::relative_time::RelativeTime;
use leptos::prelude::*;
use leptos_router::components::Form;

/// A row of the list. `kind` is the active filter, kept when the dialog opens.
#[component]
pub fn SessionRow(session: SessionView, now: i64, kind: Option<SessionKind>) -> impl IntoView {
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
                    {session.name.clone()}
                    {session.is_current.then(|| view! { <span class="badge current-badge">"This device"</span> })}
                    {session.is_new.then(|| view! { <span class="badge new-badge">"New"</span> })}
                </h2>
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
                {not_me}
            </div>
        </li>
    }
}
