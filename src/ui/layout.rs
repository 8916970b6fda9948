//! Page frame: the header with navigation and sign-out, and the 404 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// Header and main landmark of a signed-in page. With `enhance`, the `PageEnhancer` island runs
/// the page's forms and links without reloads (`main[data-enhance]`).
#[component]
pub fn SignedInLayout(#[prop(optional)] enhance: bool, children: Children) -> impl IntoView {
    let location = use_location();
    let current = move |path: &'static str| (location.pathname.get() == path).then_some("page");
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/settings/sessions">"Account settings"</a>
            <nav aria-label="Settings">
                <a href="/settings/sessions" aria-current=move || current("/settings/sessions")>
                    "Sessions"
                </a>
                <a href="/settings/password" aria-current=move || current("/settings/password")>
                    "Password"
                </a>
                <a href="/settings/security" aria-current=move || current("/settings/security")>
                    "Two-step sign-in"
                </a>
            </nav>
            <form method="post" action="/logout" class="logout">
                <button type="submit" class="button secondary">"Sign out"</button>
            </form>
        </header>
        <main id="main" tabindex="-1" data-enhance=enhance.then_some("")>
            {children()}
        </main>
    }
}

/// Shown for unknown paths (the server answers 404).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main id="main" class="narrow">
            <h1>"Page not found"</h1>
            <p>
                "There is nothing at this address. " <a href="/settings/sessions">"Go to your sessions"</a>
            </p>
        </main>
    }
}
