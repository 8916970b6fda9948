"""A real SMTP server for the tests (aiosmtpd): every message it receives is written to
DIR as one JSON file (envelope, subject, Message-ID, text and HTML parts), which the Rust
integration tests and Playwright read.

    .venv/bin/python tests/smtp/server.py --port 2525 --dir target/smtp

Prints "ready <port>" once listening; stops on SIGTERM/SIGINT.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import time
import uuid

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "message_id": str(message.get("Message-ID", "")),
            "content_type": message.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
            "received_at": time.time(),
        }
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.json"
        tmp = os.path.join(self.directory, "." + name)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.directory, name))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Keep(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"ready {args.port}", flush=True)
    stop = asyncio.new_event_loop()
    done = asyncio.Event()

    def finish(*_):
        stop.call_soon_threadsafe(done.set)

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    try:
        stop.run_until_complete(done.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
