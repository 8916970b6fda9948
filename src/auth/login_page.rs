//! `/login`: a plain HTML form posting `email` and `password` to `POST /login`, so it works the
//! same with and without JavaScript. Errors come back as `?error=<code>`.

use crate::auth::server_fns::{FirstAccount, login_options};
use crate::factors::components::{PasskeyAction, PasskeyCeremony, SecondStepForm};
use crate::ui::password_field::PasswordField;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The message for an `?error=` code of `POST /login`.
fn error_message(code: &str, retry_after: Option<u64>) -> String {
    match code {
        "invalid_credentials" => "Email or password is incorrect.".into(),
        "rate_limited" => {
            let minutes = retry_after.unwrap_or(60).div_ceil(60);
            format!(
                "Too many attempts. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )
        }
        "invalid_input" => "Enter your email address and password.".into(),
        "invalid_code" => {
            "That code is not right, or was used already. Try the next code from your app, or a \
             recovery code."
                .into()
        }
        "passkey_rejected" => "That passkey was not accepted.".into(),
        "expired_token" => "Signing in took too long. Enter your email and password again.".into(),
        "unavailable" => "The service is temporarily unavailable. Try again shortly.".into(),
        _ => "Something went wrong. Try again.".into(),
    }
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query.with(|q| {
            q.get("error")
                .map(|code| error_message(&code, q.get("retry_after").and_then(|r| r.parse().ok())))
        })
    };
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let second_step = move || query.with(|q| q.get("step")).as_deref() == Some("code");
    let options = Resource::new(|| (), |_| login_options());

    view! {
        <Title text="Sign in" />
        <main id="main" class="narrow auth-card">
            <h1>"Sign in"</h1>
            {move || {
                error()
                    .map(|message| {
                        view! {
                            <p class="notice error" role="alert" id="login-error">
                                {message}
                            </p>
                        }
                    })
            }}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    options
                        .await
                        .ok()
                        .and_then(|o| o.first_account)
                        .map(|first| view! { <FirstAccountHint first /> })
                })}
            </Transition>
            <Show
                when=move || !second_step()
                fallback=move || {
                    view! {
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let offer = options.await.ok().and_then(|o| o.second_step);
                                view! {
                                    <SecondStepForm
                                        next=Signal::derive(next)
                                        has_error=Signal::derive(move || error().is_some())
                                        offer
                                    />
                                }
                            })}
                        </Transition>
                    }
                }
            >
            <form method="post" action="/login" class="stack">
                <input type="hidden" name="next" prop:value=next />
                <label for="email">"Email"</label>
                <input
                    id="email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    required
                    maxlength="254"
                    aria-describedby=move || error().map(|_| "login-error")
                />
                <PasswordField id="password" name="password" label="Password" />
                <button type="submit" class="button primary">"Sign in"</button>
            </form>
            </Show>
            <Transition fallback=|| ()>
                {move || {
                    let second_step = second_step();
                    Suspend::new(async move {
                    options
                        .await
                        .ok()
                        // On the second step, only for an account with a passkey.
                        .filter(|o| {
                            o.passkeys
                                && (!second_step || o.second_step.is_none_or(|s| s.passkey))
                        })
                        .map(|_| {
                            let words = if second_step {
                                "Or use your passkey:"
                            } else {
                                "Or, without typing anything:"
                            };
                            view! {
                                <div class="passkey-sign-in" id="passkey-sign-in">
                                    <p class="hint">{words}</p>
                                    <PasskeyAction
                                        ceremony=PasskeyCeremony::Login
                                        label="Sign in with a passkey"
                                        id="passkey-login"
                                        next=Signal::derive(next)
                                    />
                                </div>
                            }
                        })
                    })
                }}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    options
                        .await
                        .ok()
                        .filter(|o| o.dev_login)
                        .map(|_| {
                            view! {
                                <form method="post" action="/login/dev" class="dev-login">
                                    <p class="hint">"Development server"</p>
                                    <button type="submit" class="button secondary">
                                        "Sign in as the demo user"
                                    </button>
                                </form>
                            }
                        })
                })}
            </Transition>
        </main>
    }
}

/// Shown only while the server has no account at all: the command that creates the first one
/// (plain server-rendered text, the same with JavaScript off).
#[component]
fn FirstAccountHint(first: FirstAccount) -> impl IntoView {
    view! {
        <div class="notice info first-account" id="first-account">
            <p>
                "This server has no account yet. Create the first one in a terminal, in the "
                "directory the server was started from:"
            </p>
            <pre>
                <code>{first.command}</code>
            </pre>
            {first
                .needs_database_url
                .then(|| {
                    view! {
                        <p>"Run it with the server's " <code>"DATABASE_URL"</code> " set."</p>
                    }
                })}
            <p>"Then sign in here with that email and passphrase."</p>
        </div>
    }
}
