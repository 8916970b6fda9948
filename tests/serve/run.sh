#!/usr/bin/env bash
# The newcomer's path, `scripts/serve` without arguments: it builds the debug site with plain
# cargo and wasm-bindgen (not cargo-leptos, which the rest of the suite uses), so it gets its own
# check. It must answer, serve a wasm and stylesheet that load, and hydrate the sign-in page and,
# once signed in, the sessions page in Chromium. Run last by scripts/test: it rewrites target/site
# (with the same debug build; the cargo steps share cargo-leptos's cache and rebuild nothing).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
work=target/serve-check
rm -rf "$work" target/site # only what scripts/serve writes may answer
mkdir -p "$work"
port=$(free_port)
export DATABASE_URL="sqlite://$PWD/$work/serve.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
setsid bash scripts/serve >"$work/serve.log" 2>&1 &
serve=$!
trap 'kill -- -$serve 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
wait_for_url "$base/login" 600 1 "$serve" || {
    echo "scripts/serve did not answer on $base/login; last lines of its log:" >&2
    tail -n 30 "$work/serve.log" >&2
    exit 1
}
printf 'serve check password\n' | target/debug/active-sessions user add serve@example.com >/dev/null
for asset in pkg/active-sessions.wasm pkg/active-sessions.js pkg/active-sessions.css favicon.svg; do
    curl -sf -o /dev/null -w "%{http_code} %{content_type} /$asset\n" "$base/$asset"
done
(cd end2end && SERVE_URL="$base" node serve-check.mjs)
