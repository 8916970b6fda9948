# Sourced by scripts/test after scripts/env.sh (for free_port): starts the real SMTP server the
# integration tests send sign-in alerts to (Python's aiosmtpd from the project venv,
# tests/smtp/server.py) on a free loopback port; every received message lands in target/smtp as
# JSON. Stopped on exit.

start_test_smtp() {
    local port
    port=$(free_port)
    export TEST_SMTP_DIR="$PWD/target/smtp"
    rm -rf "$TEST_SMTP_DIR"
    mkdir -p "$TEST_SMTP_DIR"
    .venv/bin/python tests/smtp/server.py --port "$port" --dir "$TEST_SMTP_DIR" \
        >"$PWD/target/smtp.log" 2>&1 &
    SMTP_PID=$!
    for _ in $(seq 1 100); do
        if grep -q "^ready" "$PWD/target/smtp.log" 2>/dev/null; then
            export TEST_SMTP_PORT="$port"
            echo "started aiosmtpd on 127.0.0.1:$port (messages in target/smtp)"
            return
        fi
        sleep 0.1
    done
    echo "aiosmtpd did not start; see target/smtp.log" >&2
    return 1
}

stop_test_smtp() {
    if [ -n "${SMTP_PID:-}" ]; then
        kill "$SMTP_PID" 2>/dev/null || true
        wait "$SMTP_PID" 2>/dev/null || true
    fi
}
