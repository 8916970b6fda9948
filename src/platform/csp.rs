//! Content Security Policies (SEC-09).

/// CSP for everything that is not an HTML page (JSON, errors).
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Where scripts may connect: the site itself; debug builds also allow cargo-leptos's live-reload
/// websocket, release builds nothing else.
const CONNECT_SRC: &str = if cfg!(debug_assertions) {
    "'self' ws://localhost:* ws://127.0.0.1:*"
} else {
    "'self'"
};

/// The CSP of an HTML page whose inline scripts carry `nonce`.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src {CONNECT_SRC}; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    )
}
