# Sourced by scripts/test and scripts/bench after scripts/env.sh (for free_port): starts a
# throw-away PostgreSQL from Debian's packages (own data dir under target/, a free loopback port)
# unless TEST_POSTGRES_URL already names a server, and stops it on exit. PostgreSQL refuses to run
# as root, so it runs as the `postgres` user then.

start_test_postgres() {
    if [ -n "${TEST_POSTGRES_URL:-}" ]; then
        echo "using PostgreSQL at TEST_POSTGRES_URL"
        return
    fi
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; return 1; }
    PG_DIR="$PWD/target/pg"
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    local port
    port=$(free_port)
    local run=()
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres:postgres "$PG_DIR"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log" 2>&1
    "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
    PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop)
    export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    export TEST_POSTGRES_CTL="$bin/pg_ctl -D $PG_DIR/data"
    echo "started PostgreSQL on 127.0.0.1:$port"
}

stop_test_postgres() {
    if [ -n "${PG_STOP:-}" ]; then
        "${PG_STOP[@]}" >/dev/null 2>&1 || true
    fi
}
