//! The authenticator app: set it up (secret as text and QR code, then a code to turn it on), or,
//! once on, its recovery codes and turning it off. Once on, step-up asks for a code from it next
//! to the password.

use super::page::SecurityActions;
use crate::factors::model::{SecurityOverview, TotpSetup};
use crate::ui::code_field::CodeField;
use crate::ui::password_field::PasswordField;
use leptos::prelude::*;

/// The password field shown when the last proof is older than the re-authentication window, and
/// the code field when the account has an app (step-up).
#[component]
fn ReauthField(
    needed: bool,
    id: &'static str,
    #[prop(optional)] code_id: Option<&'static str>,
) -> impl IntoView {
    needed.then(|| {
        view! {
            <PasswordField id name="password" label="Current password" />
            {code_id.map(|id| view! { <CodeField id /> })}
        }
    })
}

/// The authenticator-app section.
#[component]
pub fn TotpCard(overview: SecurityOverview, actions: SecurityActions) -> impl IntoView {
    let needs_reauth = overview.needs_reauth;
    let body = if !overview.available {
        view! {
            <p class="notice info" id="totp-unavailable">
                "Authenticator apps are unavailable on this server: it has no SECRETS_KEY. "
                "Ask whoever runs it to set one."
            </p>
        }
        .into_any()
    } else if overview.totp_enabled {
        let left = overview.recovery_left;
        view! {
            <p class="notice success" id="totp-on">"On: signing in asks for a code from your app."</p>
            <p>{format!("{left} unused recovery code{} left.", if left == 1 { "" } else { "s" })}</p>
            <ActionForm action=actions.regenerate attr:class="stack">
                <ReauthField needed=needs_reauth id="regenerate-password" code_id="regenerate-code" />
                <button type="submit" class="button secondary">"Regenerate recovery codes"</button>
                <p class="hint">"The codes you have now stop working."</p>
            </ActionForm>
            <TurnOffForm needs_reauth actions keeps_codes=!overview.passkeys.is_empty() />
        }
        .into_any()
    } else if let Some(setup) = overview.setup {
        view! { <SetupForm setup needs_reauth actions /> }.into_any()
    } else {
        view! {
            <p>"Off."</p>
            <ActionForm action=actions.begin>
                <button type="submit" class="button primary">"Set up authenticator app"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="totp-title">
            <h2 id="totp-title">"Authenticator app"</h2>
            {body}
        </section>
    }
}

/// Step two of the set-up: scan or type the secret, then prove it with a code.
#[component]
fn SetupForm(setup: TotpSetup, needs_reauth: bool, actions: SecurityActions) -> impl IntoView {
    view! {
        <ol class="stack">
            <li>"Scan this QR code with your authenticator app:"</li>
        </ol>
        <div class="qr" inner_html=setup.qr_svg></div>
        <p>
            "Or enter this key by hand: "
            <code data-totp-secret=setup.secret.clone()>{setup.secret.clone()}</code>
        </p>
        <ActionForm action=actions.turn_on attr:class="stack">
            <input type="hidden" name="setup" value=setup.ticket />
            <CodeField id="code" label="Code from the app" />
            <ReauthField needed=needs_reauth id="turn-on-password" />
            <label class="also-approved">
                <input type="checkbox" name="sign_out_others" value="true" checked />
                "Also sign out every other session"
            </label>
            <button type="submit" class="button primary">"Turn on"</button>
        </ActionForm>
    }
}

/// "Turn off": step-up with the app itself, and "Also sign out every other session" (checked).
#[component]
fn TurnOffForm(needs_reauth: bool, actions: SecurityActions, keeps_codes: bool) -> impl IntoView {
    let after = if keeps_codes {
        "Signing in will ask for a passkey or a recovery code after your password; your recovery \
         codes stay."
    } else {
        "Signing in will ask for your password alone; your recovery codes are deleted."
    };
    view! {
        <h3>
            {if keeps_codes { "Turn off the authenticator app" } else { "Turn off two-step sign-in" }}
        </h3>
        <ActionForm action=actions.turn_off attr:class="stack" attr:id="turn-off-form">
            <ReauthField needed=needs_reauth id="turn-off-password" code_id="turn-off-code" />
            <label class="also-approved">
                <input type="checkbox" name="sign_out_others" value="true" checked />
                "Also sign out every other session"
            </label>
            <button type="submit" class="button danger">"Turn off"</button>
            <p class="hint">{after}</p>
        </ActionForm>
    }
}
