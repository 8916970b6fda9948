//! Passkeys: the list (name, added, last used, "Remove"), "Add a passkey" with an optional name,
//! and "Confirm with your passkey" when a sensitive action needs it (step-up at the account's
//! strongest factor). Removing is a plain form; adding needs the browser's WebAuthn.

use super::page::SecurityActions;
use super::passkey_action::{PasskeyAction, PasskeyCeremony};
use crate::factors::model::{PasskeyInfo, SecurityOverview};
use crate::ui::code_field::CodeField;
use crate::ui::local_time::local_time;
use crate::ui::password_field::PasswordField;
use leptos::prelude::*;

/// The passkeys section.
#[component]
pub fn PasskeysCard(overview: SecurityOverview, actions: SecurityActions) -> impl IntoView {
    if !overview.passkeys_available {
        return view! {
            <section class="card" aria-labelledby="passkeys-title">
                <h2 id="passkeys-title">"Passkeys"</h2>
                <p class="notice info" id="passkeys-unavailable">
                    "Passkeys are unavailable on this server: its PUBLIC_URL must name it by a "
                    "domain (not an IP address)."
                </p>
            </section>
        }
        .into_any();
    }
    let needs_password = overview.needs_reauth;
    let code_needed = needs_password && overview.totp_enabled;
    let rows = overview.passkeys.clone();
    view! {
        <section class="card" aria-labelledby="passkeys-title" id="passkeys">
            <h2 id="passkeys-title">"Passkeys"</h2>
            <p class="hint">
                "A passkey signs you in with your device's screen lock instead of a password, and "
                "cannot be phished."
            </p>
            {(!overview.totp_enabled && !overview.passkeys.is_empty())
                .then(|| view! { <PasskeyStepStatus overview=overview.clone() actions /> })}
            {overview
                .needs_passkey
                .then(|| {
                    view! {
                        <p>"Confirm with your passkey before adding or removing one."</p>
                        <PasskeyAction
                            ceremony=PasskeyCeremony::StepUp
                            label="Confirm with your passkey"
                            id="passkey-step-up"
                            reload=true
                        />
                    }
                })}
            <ul class="passkey-list" id="passkey-list">
                {rows.into_iter().map(|p| view! { <PasskeyRow passkey=p actions /> }).collect_view()}
            </ul>
            // Not a <form>: without JavaScript nothing can be submitted from here (Enter must not
            // send the password field anywhere); passkeys.js reads the fields by name.
            <div class="stack" id="add-passkey-form" data-passkey-form="">
                <label for="passkey-name">"Name (optional)"</label>
                <input id="passkey-name" name="name" type="text" maxlength="64" autocomplete="off" />
                {needs_password
                    .then(|| {
                        view! {
                            <PasswordField id="passkey-password" name="password" label="Current password" />
                            {code_needed.then(|| view! { <CodeField id="passkey-code" /> })}
                        }
                    })}
                <label class="also-approved">
                    <input type="checkbox" name="sign_out_others" value="true" checked />
                    "Also sign out every other session"
                </label>
                <PasskeyAction ceremony=PasskeyCeremony::Register label="Add a passkey" id="add-passkey" />
            </div>
        </section>
    }
    .into_any()
}

/// Without an authenticator app: whether the passkeys are a second step (they are once the
/// account has recovery codes to fall back on) and the form that makes or renews the codes.
#[component]
fn PasskeyStepStatus(overview: SecurityOverview, actions: SecurityActions) -> impl IntoView {
    if !overview.available {
        return view! {
            <p class="notice info" id="passkey-alternative">
                "This server cannot make recovery codes (it has no SECRETS_KEY), so a passkey is "
                "another way to sign in: your password alone still signs you in too."
            </p>
        }
        .into_any();
    }
    let (status, button) = if overview.two_step {
        let left = overview.recovery_left;
        let status = view! {
            <p class="notice success" id="passkey-two-step">
                "On: after your password, signing in asks for a passkey or a recovery code."
            </p>
            <p>{format!("{left} unused recovery code{} left.", if left == 1 { "" } else { "s" })}</p>
        }
        .into_any();
        (status, "Regenerate recovery codes")
    } else {
        let status = view! {
            <p class="notice info" id="passkey-alternative">
                "Your password alone still signs you in. Make recovery codes to ask for a passkey "
                "(or one of the codes) after it."
            </p>
        }
        .into_any();
        (status, "Make recovery codes")
    };
    view! {
        {status}
        <ActionForm action=actions.regenerate attr:class="stack" attr:id="passkey-recovery-form">
            <button type="submit" class="button secondary">{button}</button>
        </ActionForm>
    }
    .into_any()
}

/// One passkey with its "Remove" form.
#[component]
fn PasskeyRow(passkey: PasskeyInfo, actions: SecurityActions) -> impl IntoView {
    let last_used = passkey.last_used.clone().map_or_else(
        || view! { <span>"Never used to sign in"</span> }.into_any(),
        |at| view! { <span>"Last used " {local_time(at, false)}</span> }.into_any(),
    );
    view! {
        <li class="passkey-row" data-passkey-id=passkey.id>
            <strong class="passkey-name">{passkey.name.clone()}</strong>
            <p class="passkey-meta">
                <span>"Added " {local_time(passkey.created.clone(), false)}</span>
                " · "
                {last_used}
            </p>
            <ActionForm action=actions.remove_passkey attr:class="stack passkey-remove">
                <input type="hidden" name="id" value=passkey.id />
                <label class="also-approved">
                    <input type="checkbox" name="sign_out_others" value="true" checked />
                    "Also sign out every other session"
                </label>
                <button type="submit" class="button danger">
                    {format!("Remove {}", passkey.name)}
                </button>
            </ActionForm>
        </li>
    }
}
