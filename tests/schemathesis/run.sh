#!/usr/bin/env bash
# Bounded schemathesis run (SEC-38) against the real server (debug build, fresh SQLite file):
# no server errors, authentication not ignored, a revoked session not usable afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/schemathesis
rm -rf "$work"
mkdir -p "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$PWD/$work/api.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn
bin=target/debug/active-sessions
printf 'schemathesis password\n' | "$bin" user add fuzz@example.com >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
done

# A bearer token through the real CLI grant flow.
token=$(.venv/bin/python tests/schemathesis/token.py "http://127.0.0.1:$port" fuzz@example.com "schemathesis password")

.venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --checks not_a_server_error,ignored_auth,use_after_free \
    --header "Authorization: Bearer $token" \
    --max-examples 40 \
    --seed 1 \
    --no-color \
    --generation-database none
if grep -q "panicked" "$work/server.log"; then
    echo "the server panicked during the run:" >&2
    grep -A3 panicked "$work/server.log" >&2
    exit 1
fi
