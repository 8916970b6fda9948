//! `/settings/security`: two-step sign-in. Server-rendered; every button is a plain form posting
//! to a server function that sends the browser back here, so it works without JavaScript.

use super::passkeys_card::PasskeysCard;
use super::recovery_card::RecoveryCard;
use super::totp_card::TotpCard;
use crate::factors::server_fns::{
    BeginTotpSetup, RegenerateRecoveryCodes, RemovePasskey, TurnOffTotp, TurnOnTotp,
    get_security_overview,
};
use crate::ui::layout::SignedInLayout;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The forms of the page.
#[derive(Clone, Copy)]
pub struct SecurityActions {
    /// "Set up authenticator app".
    pub begin: ServerAction<BeginTotpSetup>,
    /// "Turn on".
    pub turn_on: ServerAction<TurnOnTotp>,
    /// "Regenerate recovery codes".
    pub regenerate: ServerAction<RegenerateRecoveryCodes>,
    /// "Turn off".
    pub turn_off: ServerAction<TurnOffTotp>,
    /// "Remove" a passkey.
    pub remove_passkey: ServerAction<RemovePasskey>,
}

/// The security settings page.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let query = use_query_map();
    let actions = SecurityActions {
        begin: ServerAction::new(),
        turn_on: ServerAction::new(),
        regenerate: ServerAction::new(),
        turn_off: ServerAction::new(),
        remove_passkey: ServerAction::new(),
    };
    // `off` too: turning the app off comes back with only that in the address.
    let overview = Resource::new(
        move || {
            let removed = actions.remove_passkey.version().get();
            query.with(|q| (q.get("setup"), q.get("codes"), q.get("off"), removed))
        },
        |(setup, codes, _, _)| get_security_overview(setup, codes),
    );
    // After turning the app off (`off`), or on with "Also sign out every other session"
    // (`ended` beside the recovery codes): what changed.
    let changed = move || {
        query.with(|q| {
            let ended = || {
                let ended: u64 = q.get("ended").and_then(|n| n.parse().ok()).unwrap_or(0);
                let plural = if ended == 1 { " was" } else { "s were" };
                format!("{ended} other session{plural} signed out.")
            };
            if q.get("off").is_some() {
                Some(("totp-off", format!("Two-step sign-in is off. {}", ended())))
            } else if q.get("ended").is_some() {
                Some((
                    "totp-on-ended",
                    format!("Two-step sign-in is on. {}", ended()),
                ))
            } else {
                None
            }
        })
    };
    let error = move || {
        let failed = |e: Option<Result<(), crate::error::AppError>>| e.and_then(Result::err);
        failed(actions.turn_on.value().get())
            .or_else(|| failed(actions.regenerate.value().get()))
            .or_else(|| failed(actions.begin.value().get()))
            .or_else(|| failed(actions.turn_off.value().get()))
            .or_else(|| failed(actions.remove_passkey.value().get()))
            .map(|e| e.to_string())
    };
    view! {
        <Title text="Two-step sign-in" />
        <SignedInLayout>
            <div class="narrow">
                <h1>"Two-step sign-in"</h1>
                <p class="hint">
                    "With two-step sign-in, your password alone is not enough: signing in also "
                    "asks for a code from an authenticator app on your phone, or for a passkey."
                </p>
                {move || changed().map(|(id, m)| view! { <p class="notice success" role="status" id=id>{m}</p> })}
                {move || error().map(|m| view! { <p class="notice error" role="alert" id="security-error">{m}</p> })}
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        overview
                            .await
                            .map(|overview| {
                                let codes = overview.recovery_codes.clone();
                                view! {
                                    {codes.map(|codes| view! { <RecoveryCard codes /> })}
                                    <TotpCard overview=overview.clone() actions />
                                    <PasskeysCard overview actions />
                                }
                            })
                            .map_err(|e| e.to_string())
                    })}
                </Transition>
            </div>
        </SignedInLayout>
    }
}
