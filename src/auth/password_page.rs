//! `/settings/password`: change the password; every other session ends. An account with an
//! authenticator app is asked for a code from it too, unless this session proved it lately.

use crate::auth::server_fns::ChangePassword;
use crate::factors::components::{PasskeyAction, PasskeyCeremony};
use crate::factors::server_fns::get_security_overview;
use crate::ui::code_field::CodeField;
use crate::ui::layout::SignedInLayout;
use crate::ui::password_field::PasswordField;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The password page.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let changed = move || {
        query.with(|q| {
            q.get("changed").map(|_| {
                let ended: u64 = q.get("ended").and_then(|n| n.parse().ok()).unwrap_or(0);
                format!(
                    "Password changed. {ended} other session{} signed out.",
                    if ended == 1 { " was" } else { "s were" }
                )
            })
        })
    };
    let not_me = move || query.with(|q| q.get("not_me").is_some());
    let error = crate::ui::action_error::action_error(action);
    let overview = Resource::new(|| (), |()| get_security_overview(None, None));
    let code_field = move || {
        Suspend::new(async move {
            let overview = overview.await.ok();
            let passkey = overview.as_ref().is_some_and(|o| o.needs_passkey);
            let step_up = overview.is_some_and(|o| o.totp_enabled && o.needs_reauth);
            view! {
                {step_up.then(|| view! { <CodeField id="password-code" /> })}
                {passkey.then(|| view! {
                    <p>"Confirm with your passkey first."</p>
                    <PasskeyAction
                        ceremony=PasskeyCeremony::StepUp
                        label="Confirm with your passkey"
                        id="password-passkey"
                    />
                })}
            }
        })
    };

    view! {
        <Title text="Password" />
        <SignedInLayout>
            <div class="narrow">
                <h1>"Change password"</h1>
                <p class="hint">
                    "Changing your password signs out every other browser and CLI session."
                </p>
                {move || not_me().then(|| view! {
                    <p class="notice warning" role="status">
                        <strong>"That session is signed out. "</strong>
                        "Whoever used it knows your password: change it now. "
                        "Changing it signs out every other session too."
                    </p>
                })}
                {move || changed().map(|m| view! { <p class="notice success" role="status">{m}</p> })}
                {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
                <ActionForm action=action attr:class="stack">
                    <PasswordField
                        id="current_password"
                        name="current_password"
                        label="Current password"
                    />
                    <Transition fallback=|| ()>{code_field}</Transition>
                    <PasswordField id="new_password" name="new_password" label="New password" new=true />
                    <PasswordField
                        id="confirm_password"
                        name="confirm_password"
                        label="Repeat new password"
                        new=true
                    />
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        "Change password"
                    </button>
                </ActionForm>
            </div>
        </SignedInLayout>
    }
}
