//! `/not-me/{token}`: the page a sign-in alert links to. It names the session and offers one
//! button, `Sign out that device` (a form post that works without JavaScript); it needs no
//! sign-in, since whoever signed in may have changed what the owner would sign in with.

use crate::alerts::model::{NotMeState, NotMeView};
use crate::alerts::server_fns::{SignOutThatDevice, get_not_me};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The not-me page.
#[component]
pub fn NotMePage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token")).unwrap_or_default());
    let action = ServerAction::<SignOutThatDevice>::new();
    let link = Resource::new(
        move || (token.get(), action.version().get()),
        |(token, _)| get_not_me(token),
    );
    let error = crate::ui::action_error::action_error(action);
    view! {
        <Title text="Not you?" />
        <main id="main" class="narrow auth-card not-me">
            {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <Transition fallback=|| view! { <p role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(view) => view! { <LinkView view token=token.get_untracked() action /> }.into_any(),
                        Err(AppError::NotFound) => view! {
                            <h1>"This link is not valid"</h1>
                            <p>
                                "It may be incomplete (check that you opened the whole link from the email) or older than 7 days. "
                                "To review your sessions, " <a href="/login?next=/settings/sessions">"sign in"</a> "."
                            </p>
                        }.into_any(),
                        Err(e) => view! {
                            <h1>"Not you?"</h1>
                            <p class="notice error" role="alert">{e.to_string()}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// The session the link names, and what can be done.
#[component]
fn LinkView(
    view: NotMeView,
    token: String,
    action: ServerAction<SignOutThatDevice>,
) -> impl IntoView {
    let facts = view! {
        <dl class="grant-facts">
            <dt>"Device"</dt>
            <dd>{view.device.clone()}</dd>
            <dt>"Signed in from"</dt>
            <dd>{view.place.clone()}</dd>
            <dt>"Signed in"</dt>
            <dd>{view.signed_in_at.clone()}</dd>
        </dl>
    };
    let change_password = view! {
        <p class="notice warning">
            <strong>"Change your password now. "</strong>
            "Whoever signed in knows it. Changing it signs out every other session too. "
            <a href="/login?next=/settings/password">"Sign in and change your password"</a>
        </p>
    };
    match view.state {
        NotMeState::Open => view! {
            <h1>"Not you? Sign out that device"</h1>
            <p>"This sign-in to your account was reported to you by email:"</p>
            {facts}
            <p>"If it was not you, sign it out now. Its next request will be refused."</p>
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button danger" disabled=move || action.pending().get()>
                    "Sign out that device"
                </button>
            </ActionForm>
            <p class="hint">"If it was you, close this page; nothing changes."</p>
        }.into_any(),
        NotMeState::Used | NotMeState::AlreadyEnded => {
            let (heading, how) = if view.state == NotMeState::Used {
                ("That device is signed out", "with this link. The link cannot be used again.")
            } else {
                ("That device is already signed out", "before this link was used; the link changed nothing.")
            };
            let when = view.ended_at.as_deref().map(|t| format!(" on {t}")).unwrap_or_default();
            let browser = view.ended_sessions.map(|n| {
                let ended = match n {
                    0 => "forgot that browser".to_owned(),
                    1 => "ended 1 session of that browser and forgot it".to_owned(),
                    n => format!("ended {n} sessions of that browser and forgot it"),
                };
                format!(
                    "The link {ended}: its next sign-in needs the password and sends you an alert."
                )
            });
            view! {
                <h1>{heading}</h1>
                <p class="notice success" role="status">
                    {format!("{} was signed out{when} {how}", view.device)}
                    {browser.map(|b| view! { " " <span class="browser-ended">{b}</span> })}
                </p>
                {facts}
                {change_password}
            }.into_any()
        }
        NotMeState::Expired => view! {
            <h1>"This link has expired"</h1>
            <p>
                "Links in sign-in alerts work for 7 days. If you do not recognise a session, sign in, "
                "revoke it on the sessions page and change your password."
            </p>
            {facts}
            <p><a href="/login?next=/settings/sessions">"Sign in to review your sessions"</a></p>
        }.into_any(),
    }
}
