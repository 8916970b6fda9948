//! The app shell and the router: which page answers which path.

use crate::alerts::not_me_page::NotMePage;
use crate::auth::{login_page::LoginPage, password_page::PasswordPage};
use crate::cli_grants::approve_page::CliApprovePage;
use crate::factors::components::page::SecurityPage;
use crate::islands::{Clock, Hydrated, IslandsLoader, PageEnhancer};
use crate::sessions::components::page::SessionsPage;
use crate::ui::layout::NotFound;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{FlatRoutes, Route, Router},
    path,
};

/// The HTML document around the app, rendered on the server only. `data-hydrated` starts as
/// `"false"`; the [`Hydrated`] island flips it once the browser has hydrated every island (tests
/// wait for it). The islands come last in `<body>`, outside the content they act on.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-hydrated="false">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                // First in `<head>`: it starts loading the islands while the page arrives.
                <IslandsLoader options />
                <MetaTags />
            </head>
            <body>
                <App />
                <Clock />
                <PageEnhancer />
                <Hydrated />
            </body>
        </html>
    }
}

/// Pages get a CSP whose script nonce matches the hydration script of this response.
#[cfg(feature = "ssr")]
fn set_page_csp() {
    use axum::http::{HeaderValue, header};
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) =
        HeaderValue::from_str(&crate::platform::csp::page_csp(&nonce.to_string()))
    {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The application: meta tags and the routes. Server components only: the browser gets the
/// islands of `crate::islands`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/active-sessions.css" />
        <Title formatter=|text: String| format!("{text} · Active sessions") />
        // Async SSR: each page is sent whole once its data is read, so it is complete without
        // JavaScript (no streamed fragments to swap in).
        <Router>
            <FlatRoutes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/settings/sessions") view=SessionsPage ssr=SsrMode::Async />
                <Route path=path!("/settings/password") view=PasswordPage ssr=SsrMode::Async />
                <Route path=path!("/settings/security") view=SecurityPage ssr=SsrMode::Async />
                <Route path=path!("/cli/approve") view=CliApprovePage ssr=SsrMode::Async />
                <Route path=path!("/not-me/:token") view=NotMePage ssr=SsrMode::Async />
            </FlatRoutes>
        </Router>
    }
}
