//! `/settings/password`: change the password; every other session ends.

use crate::auth::server_fns::ChangePassword;
use crate::ui::layout::SignedInLayout;
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
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
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
                    <label for="current_password">"Current password"</label>
                    <input
                        id="current_password"
                        name="current_password"
                        type="password"
                        autocomplete="current-password"
                        required
                        maxlength="1024"
                    />
                    <label for="new_password">"New password"</label>
                    <input
                        id="new_password"
                        name="new_password"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength="8"
                        maxlength="1024"
                    />
                    <label for="confirm_password">"Repeat new password"</label>
                    <input
                        id="confirm_password"
                        name="confirm_password"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength="8"
                        maxlength="1024"
                    />
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        "Change password"
                    </button>
                </ActionForm>
            </div>
        </SignedInLayout>
    }
}
