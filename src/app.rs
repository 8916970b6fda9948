//! The app shell and the router: which page answers which path.

use crate::alerts::not_me_page::NotMePage;
use crate::auth::{login_page::LoginPage, password_page::PasswordPage};
use crate::cli_grants::approve_page::CliApprovePage;
use crate::factors::components::page::SecurityPage;
use crate::islands::{Clock, Hydrated, PageEnhancer};
use crate::sessions::components::page::SessionsPage;
use crate::ui::layout::NotFound;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server only. `data-hydrated` starts as
/// `"false"`; the [`Hydrated`] island flips it once the browser has hydrated every island (tests
/// wait for it). The islands come last in `<body>`, outside the content they act on.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_csp();
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-hydrated="false">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                // Leptos' islands script waits for `requestIdleCallback` before it even imports
                // the module: 69 ms of the 87 ms between the page without the app and hydrated
                // (188 ms at 4x CPU; BENCHMARKS.md, "Islands"). Both are preloaded, so it gets a
                // callback that runs at once, and the browser's own is put back right after it
                // (kept aside, not deleted: on `window` it is an own property, so `delete` would
                // leave the page without one).
                <script nonce=nonce.clone()>
                    "window.__ric=window.requestIdleCallback;window.requestIdleCallback=c=>c()"
                </script>
                <HydrationScripts options islands=true />
                <script type="module" nonce=nonce>
                    "if(window.__ric)window.requestIdleCallback=window.__ric;else delete window.requestIdleCallback;delete window.__ric"
                </script>
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
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/settings/sessions") view=SessionsPage ssr=SsrMode::Async />
                <Route path=path!("/settings/password") view=PasswordPage ssr=SsrMode::Async />
                <Route path=path!("/settings/security") view=SecurityPage ssr=SsrMode::Async />
                <Route path=path!("/cli/approve") view=CliApprovePage ssr=SsrMode::Async />
                <Route path=path!("/not-me/:token") view=NotMePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
