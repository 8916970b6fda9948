#!/usr/bin/env bash
# Bounded schemathesis run (SEC-38) against the real server (debug build, fresh SQLite file):
# no server errors, authentication not ignored, a revoked session not usable afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
work=target/schemathesis
rm -rf "$work"
mkdir -p "$work"
port=$(free_port)
export DATABASE_URL="sqlite://$PWD/$work/api.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn
bin=target/debug/active-sessions
printf 'schemathesis password\n' | "$bin" user add fuzz@example.com >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_for_url "http://127.0.0.1:$port/healthz" 100 0.1 || true # the token step below fails then

# A bearer token through the real CLI grant flow, and 30 more sessions of the account for the
# stateful phase to revoke (it follows the document's links: list -> revoke -> detail, which must
# then be 404). 31 stays below MAX_SESSIONS_PER_USER, so no session is evicted.
token=$(.venv/bin/python tests/schemathesis/token.py "http://127.0.0.1:$port" fuzz@example.com "schemathesis password" 30)

fuzz() {
    .venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
        --checks not_a_server_error,ignored_auth,use_after_free \
        --header "Authorization: Bearer $token" \
        --max-examples 40 \
        --seed 1 \
        --no-color \
        --generation-database none \
        "$@"
}
# "Sign out all other sessions" would end the sessions the links revoke one by one: it is fuzzed
# in a second run, after the first.
fuzz --exclude-path /api/v1/auth/sessions/revoke-others
fuzz --include-path /api/v1/auth/sessions/revoke-others --phases examples,coverage,fuzzing
# The links were followed: sessions really were revoked one by one through DELETE.
revoked=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM sessions WHERE revoked_reason = '"'revoked'"'").fetchone()[0])' "$work/api.db")
echo "sessions revoked by DELETE during the run: $revoked"
if [ "$revoked" -lt 1 ]; then
    echo "the stateful phase revoked no session: the OpenAPI links were not followed" >&2
    exit 1
fi
if grep -q "panicked" "$work/server.log"; then
    echo "the server panicked during the run:" >&2
    grep -A3 panicked "$work/server.log" >&2
    exit 1
fi
