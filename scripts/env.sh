# Sourced by the other scripts: picks the toolchain that can build the wasm half.
#
# With a rustup toolchain that has the wasm32-unknown-unknown target (a normal laptop), that is
# used as is. Otherwise (machines that reach only package registries) Debian's rustc-web 1.96
# builds both halves and compiles the wasm std from rust-web-src (-Zbuild-std); see
# ../shared/toolchain/README.md.

export LEPTOS_OUTPUT_NAME=active-sessions
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if command -v rustup >/dev/null 2>&1 \
    && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    AS_TOOLCHAIN=rustup
    LEPTOS_LIB_ARGS=()
else
    AS_TOOLCHAIN=debian
    # Debian's cargo/rustc first; cargo-leptos and wasm-bindgen stay reachable in ~/.cargo/bin.
    export PATH="/usr/bin:$HOME/.cargo/bin:$PATH"
    export RUSTC_BOOTSTRAP=1
    LEPTOS_LIB_ARGS=(--lib-cargo-args=-Zbuild-std=std,panic_abort)
fi
# The host half (server, tests, CLI) links with LLVM's lld when it is installed (bootstrap installs
# lld-22 on the Debian path for the wasm half anyway): a debug link of the server takes 1.3 s
# instead of 8-10 s with GNU ld, and the suite links a dozen such binaries (BENCHMARKS.md, "Disk,
# and linking with lld"). Linux/glibc hosts only (gcc drives the link; -fuse-ld=lld finds
# `ld.lld` in the -B directory). Left alone when you set RUSTFLAGS, CARGO_ENCODED_RUSTFLAGS,
# CARGO_BUILD_RUSTFLAGS or CARGO_TARGET_<host>_RUSTFLAGS yourself. Builds outside the scripts
# share this cache only after `source scripts/env.sh`.
if [ -z "${RUSTFLAGS+x}${CARGO_ENCODED_RUSTFLAGS+x}${CARGO_BUILD_RUSTFLAGS+x}" ] \
    && lld=$(command -v ld.lld || command -v ld.lld-22) \
    && lld_dir=$(dirname "$(readlink -f "$lld")") && [ -x "$lld_dir/ld.lld" ] \
    && host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p') && [[ "$host" == *-linux-gnu ]]; then
    host_flags=CARGO_TARGET_$(echo "$host" | tr '[:lower:]-' '[:upper:]_')_RUSTFLAGS
    if [ -z "${!host_flags+x}" ]; then
        export "$host_flags=-Clink-arg=-fuse-ld=lld -Clink-arg=-B$lld_dir"
    fi
    unset host_flags
fi
unset lld lld_dir host

# wasm-opt for release builds: binaryen 132 from npm (end2end/package.json). Debian's binaryen 108
# is too old for the wasm that wasm-bindgen 0.2.130 emits (the optimised module fails to load),
# and cargo-leptos would otherwise try to download one.
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
export AS_TOOLCHAIN

# The release wasm only: flags that shrink it without touching the server or debug builds
# (target-specific rustflags reach only the wasm32 build; cargo-leptos 0.3.11 adds no RUSTFLAGS
# of its own in release). Measured in BENCHMARKS.md: no Debug formatting, no panic locations,
# panic = immediate-abort, std optimised for size, wasm-opt with --converge. The panic strategy
# and the size-optimised std need the std built from source (the Debian toolchain path).
WASM_OPT_FLAGS="-Oz,--converge,--enable-bulk-memory,--enable-bulk-memory-opt,--enable-nontrapping-float-to-int,--enable-sign-ext,--enable-mutable-globals,--enable-reference-types,--enable-multivalue,--enable-call-indirect-overlong"
if [ "$AS_TOOLCHAIN" = debian ]; then
    WASM_RELEASE_ARGS=(--lib-cargo-args=-Zbuild-std-features=optimize_for_size)
    wasm_release_env() {
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zfmt-debug=none -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort" \
            LEPTOS_WASM_OPT_FEATURES="$WASM_OPT_FLAGS" "$@"
    }
else
    WASM_RELEASE_ARGS=()
    wasm_release_env() { LEPTOS_WASM_OPT_FEATURES="$WASM_OPT_FLAGS" "$@"; }
fi

# A free loopback TCP port, picked by the kernel (the probe socket is closed before the caller
# binds it), for the throw-away servers the tests and benchmarks start.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until URL answers with a success status: up to TRIES attempts PAUSE seconds apart, giving
# up early once process PID (optional) has exited, then one last attempt. Returns that attempt's
# status and prints nothing; the caller says what failed.
wait_for_url() {
    local url=$1 tries=$2 pause=$3 pid=${4:-}
    for _ in $(seq "$tries"); do
        curl -sf -o /dev/null "$url" && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep "$pause"
    done
    curl -sf -o /dev/null "$url"
}
