//! `/cli/approve?code=XXXX-XXXX`: a signed-in person sees what is asking to sign in from a
//! terminal (client, IP, time) and approves or denies it.

use crate::cli_grants::model::{GrantStatus, GrantView};
use crate::cli_grants::server_fns::{DecideCliGrant, get_cli_grant};
use crate::factors::components::{PasskeyAction, PasskeyCeremony};
use crate::sessions::model::Timestamp;
use crate::ui::code_field::CodeField;
use crate::ui::layout::SignedInLayout;
use crate::ui::password_field::PasswordField;
use crate::ui::relative_time::relative_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The approval page.
#[component]
pub fn CliApprovePage() -> impl IntoView {
    let query = use_query_map();
    let code = Memo::new(move |_| {
        query
            .with(|q| q.get("code"))
            .filter(|c| !c.trim().is_empty())
    });
    let decide = ServerAction::<DecideCliGrant>::new();
    let grant = Resource::new(
        move || (code.get(), decide.version().get()),
        |(code, _)| async move {
            match code {
                Some(code) => get_cli_grant(code).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let error = crate::ui::action_error::action_error(decide);
    view! {
        <Title text="Approve CLI sign-in" />
        <SignedInLayout>
            <div class="narrow">
                <h1>"Sign in from a terminal"</h1>
                {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
                <Transition fallback=|| view! { <p role="status">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match grant.await {
                            Ok(Some(view)) => view! { <GrantDetails grant=view decide /> }.into_any(),
                            Ok(None) => view! { <CodeForm /> }.into_any(),
                            Err(e) => view! {
                                <p class="notice error" role="alert">
                                    {format!("{e} Check the code shown in your terminal.")}
                                </p>
                                <CodeForm />
                            }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </SignedInLayout>
    }
}

/// Asks for the code shown by the CLI.
#[component]
fn CodeForm() -> impl IntoView {
    view! {
        <form method="get" action="/cli/approve" class="stack">
            <label for="code">"Code shown in your terminal"</label>
            <input id="code" name="code" required autocomplete="off" placeholder="XXXX-XXXX" maxlength="20" />
            <button type="submit" class="button primary">"Continue"</button>
        </form>
    }
}

/// What is asking, and the two buttons.
#[component]
fn GrantDetails(grant: GrantView, decide: ServerAction<DecideCliGrant>) -> impl IntoView {
    let requested = Timestamp {
        unix: grant.requested_at_unix,
        rfc3339: grant.requested_at.clone(),
    };
    let location = match (&grant.ip, &grant.country) {
        (Some(ip), Some(country)) => format!("{ip} ({country})"),
        (Some(ip), None) => ip.clone(),
        _ => "unknown".to_owned(),
    };
    let deny_code = grant.user_code.clone();
    let approve_code = grant.user_code.clone();
    let reauth = grant.reauth_required;
    let code_required = grant.code_required;
    let passkey_required = grant.passkey_required;
    view! {
        <section class="grant" aria-labelledby="grant-title">
            <h2 id="grant-title">{format!("{} wants to sign in", grant.client_name)}</h2>
            <p class="grant-question">"Does your terminal show this code?"</p>
            <p class="grant-code">
                <code>{grant.user_code.clone()}</code>
            </p>
            <dl class="grant-facts">
                <dt>"IP address"</dt>
                <dd>{location}</dd>
                <dt>"Requested"</dt>
                <dd>{relative_time(requested, grant.now, "", false)}</dd>
            </dl>
            // The requester's own words, only here, escaped and said to be theirs (SEC-44); the
            // heading uses recognised words only.
            <details class="raw-agent">
                <summary>"Details"</summary>
                <p class="as-sent">
                    "User agent, as sent by the device: "
                    <code>{grant.user_agent.clone().unwrap_or_else(|| "(none sent)".into())}</code>
                </p>
            </details>
            {match grant.status {
                GrantStatus::Pending => view! {
                    <p>
                        "Only approve if you started this sign-in yourself, just now, and your terminal shows exactly this code. "
                        "If someone sent you this link, deny it: approving gives them access to your account."
                    </p>
                    <div class="dialog-actions">
                        <ActionForm action=decide>
                            <input type="hidden" name="code" value=deny_code />
                            <button type="submit" class="button secondary">"Deny"</button>
                        </ActionForm>
                        <ActionForm action=decide>
                            <input type="hidden" name="code" value=approve_code />
                            <input type="hidden" name="approve" value="true" />
                            {passkey_required.then(|| view! {
                                <PasskeyAction
                                    ceremony=PasskeyCeremony::StepUp
                                    label="Confirm with your passkey"
                                    id="approve-passkey"
                                />
                            })}
                            {(reauth && !passkey_required).then(|| view! {
                                <PasswordField id="approve-password" name="password" label="Confirm with your password" />
                                {code_required.then(|| view! { <CodeField id="approve-code" name="totp_code" /> })}
                            })}
                            <button type="submit" class="button primary">"Approve"</button>
                        </ActionForm>
                    </div>
                }.into_any(),
                GrantStatus::Approved => view! {
                    <p class="notice success" role="status">
                        "Approved. You can return to your terminal; the new CLI session is listed under "
                        <a href="/settings/sessions?kind=cli">"Active sessions"</a> "."
                    </p>
                }.into_any(),
                GrantStatus::Denied => view! {
                    <p class="notice" role="status">"Denied. The terminal will not be signed in."</p>
                }.into_any(),
            }}
        </section>
    }
}
