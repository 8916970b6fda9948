//! The script that loads and hydrates the islands, in place of Leptos' `<HydrationScripts>`.
//!
//! Leptos' islands script is a module script, so it runs only once the whole document is parsed
//! (`DOMContentLoaded`), then waits for `requestIdleCallback`, and only then imports the glue and
//! compiles the wasm on the page's thread: time to hydrated was 1.6× the page without the app
//! (2.1× at 4× CPU; BENCHMARKS.md, "Islands"). `loader.js` is a classic inline script at the top
//! of `<head>`: it starts the import and a streaming compile while the page arrives and hydrates
//! the islands as soon as the document is parsed. Without JavaScript nothing is fetched (there is
//! no `<link rel=preload>` left to fetch the module for nothing).
//!
//! `loader.js`, sent as it is in every page (so without comments): the glue's `import()` and
//! `WebAssembly.compileStreaming` start at once (compiling off the page's thread; a server that
//! does not send `application/wasm` falls back to the glue fetching the module itself), the
//! module is instantiated and `hydrate()` (the reactive root, no DOM) runs as soon as both are in,
//! and once the document is parsed (`DOMContentLoaded`) every `<leptos-island>` is hydrated in
//! document order, as
//! Leptos' `island_script.js` does: [`super::Hydrated`] is the last. Our islands are flat (no
//! island inside another, no `<leptos-children>`), so a flat walk replaces Leptos' recursive one.

use leptos::prelude::*;

/// The loader for this response, with its CSP nonce and the paths of the glue and the wasm.
#[component]
pub fn IslandsLoader(options: LeptosOptions) -> impl IntoView {
    // As `HydrationScripts islands=true`: the server renders outside islands "not hydrating",
    // so it serialises no resource and marks no node for hydration.
    #[cfg(feature = "ssr")]
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    // cargo-leptos names the wasm after the package (`LEPTOS_OUTPUT_NAME` at build time);
    // wasm-bindgen's own name ends in `_bg`, as `HydrationScripts` assumes.
    let wasm_suffix = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        ""
    } else {
        "_bg"
    };
    let script = format!(
        "{}({:?},{:?});",
        include_str!("loader.js"),
        format!("{pkg}.js"),
        format!("{pkg}{wasm_suffix}.wasm"),
    );
    view! { <script nonce=leptos::nonce::use_nonce()>{script}</script> }
}
