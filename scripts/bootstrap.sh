#!/usr/bin/env bash
# Installs what building and testing need, once; every step is skipped when already done.
# Nothing here or later downloads a binary at run time: browsers, wasm-opt and wasm-bindgen come
# from Debian packages or crates.io.
#
#   bash scripts/bootstrap.sh          # everything: tests, benchmarks, serving
#   bash scripts/bootstrap.sh serve    # only what `scripts/serve` needs for a debug build: the
#                                      # toolchain and wasm-bindgen-cli (a newcomer's first page
#                                      # waits for neither the test tools nor cargo-leptos)
#   bash scripts/bootstrap.sh serve packages  # only the Debian packages
#   bash scripts/bootstrap.sh serve leptos    # and cargo-leptos (`scripts/serve ARGS...`);
#                                             # `release` adds binaryen's wasm-opt to that
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

CARGO_LEPTOS_VERSION=0.3.11
CARGO_DENY_VERSION=0.20.2
# Must equal the wasm-bindgen crate pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\n== bootstrap: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

serve_only=false
packages_only=false
leptos_asked=false
release=false
for arg in "$@"; do
    case "$arg" in
        serve) serve_only=true ;;
        packages) packages_only=true ;;
        leptos) leptos_asked=true ;;
        release) release=true ;;
        *) echo "bootstrap: unknown argument $arg (serve, packages, leptos, release)" >&2; exit 2 ;;
    esac
done
# A debug `scripts/serve` builds without cargo-leptos; everything else uses it.
leptos=true
if $serve_only && ! $leptos_asked && ! $release; then leptos=false; fi

packages=()
$serve_only || packages+=(chromium postgresql wrk nginx-light linux-perf)
if [ "$AS_TOOLCHAIN" = debian ]; then
    packages+=(rustc-web cargo-web rust-web-src rust-web-clippy rustfmt-web lld-22)
fi
if command -v apt-get >/dev/null 2>&1; then
    missing=()
    for p in "${packages[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "apt-get install ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
else
    for tool in chromium pg_ctl; do
        command -v "$tool" >/dev/null 2>&1 || echo "bootstrap: please install $tool (no apt-get here)" >&2
    done
fi

# Tools we only run, never ship, built side by side with a "tool profile" (opt-level 1, 256
# codegen units, no LTO) instead of their own release profiles (cargo-leptos: fat LTO, one codegen
# unit). Measured with scripts/first-page on this kind of machine: cargo-leptos 1,653 s with the
# tool profile, 2,279 s with its own; wasm-bindgen-cli 559 s and 694 s (BENCHMARKS.md, "First page
# on a bare machine").
tool_profile=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false
    CARGO_PROFILE_RELEASE_INCREMENTAL=false)
# Runs a tool install and says how long it took (scripts/first-page reads these lines).
timed_install() {
    local name=$1 t0=$SECONDS
    shift
    "$@"
    say "$name installed in $((SECONDS - t0)) s"
}
install_wasm_bindgen() {
    # Its lock file can name a crate version the registry mirror does not carry yet; then let
    # cargo pick the newest compatible ones.
    "${tool_profile[@]}" cargo install wasm-bindgen-cli --locked --version "$WASM_BINDGEN_VERSION" \
        || "${tool_profile[@]}" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}
$packages_only && exit 0
pids=()
if $leptos \
    && [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (a few minutes once)"
    timed_install cargo-leptos \
        "${tool_profile[@]}" cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" &
    pids+=($!)
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    timed_install wasm-bindgen-cli install_wasm_bindgen &
    pids+=($!)
fi
if ! $serve_only \
    && [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DENY_VERSION" ]; then
    say "cargo install cargo-deny $CARGO_DENY_VERSION (dependency licences, bans, sources)"
    timed_install cargo-deny \
        "${tool_profile[@]}" cargo install cargo-deny --locked --version "$CARGO_DENY_VERSION" &
    pids+=($!)
fi
for pid in "${pids[@]}"; do wait "$pid"; done

# npm: Playwright for the tests, binaryen's wasm-opt for release builds (a debug serve needs neither).
if { ! $serve_only || $release; } && [ -f end2end/package-lock.json ] \
    && { [ ! -d end2end/node_modules ] \
    || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; }; then
    say "npm ci (end2end, no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Python test tools: schemathesis (OpenAPI fuzzing) and aiosmtpd (the real SMTP server the
# tests send sign-in alerts to).
if ! $serve_only \
    && { [ ! -x .venv/bin/schemathesis ] || ! cmp -s tests/requirements.txt .venv/requirements.txt; }; then
    say "python venv with schemathesis and aiosmtpd"
    python3 -m venv .venv
    .venv/bin/pip install -q -r tests/requirements.txt
    cp tests/requirements.txt .venv/requirements.txt
fi
