#!/usr/bin/env bash
# Started by Playwright: a fresh database, then the server in the foreground.
set -euo pipefail
mkdir -p "$E2E_ROOT/target/e2e"
rm -f "$E2E_ROOT/target/e2e/${E2E_DB:-e2e.db}"*
exec "$E2E_ROOT/target/debug/active-sessions" serve
