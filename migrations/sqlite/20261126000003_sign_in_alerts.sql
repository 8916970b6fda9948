-- Sign-in alerts: the outbox of messages to send, the one-click "This wasn't me" tokens, and
-- when each account last opened the sessions page ("New since your last visit").

-- Written in the transaction that creates the session; a background sender claims due rows
-- (lease in locked_until; FOR UPDATE SKIP LOCKED on PostgreSQL), sends, and marks them sent.
-- The bodies (which hold the not-me link) are wiped once sent; sent rows are purged later.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT    NOT NULL,
    user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    locked_until    BIGINT,
    last_error      TEXT,
    sent_at         BIGINT
);
CREATE UNIQUE INDEX mail_outbox_idempotency_key ON mail_outbox (idempotency_key);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- "This wasn't me" links: only the SHA-256 of the token is stored; single use, 7 days, bound to
-- one session. It can end that session and nothing else.
CREATE TABLE not_me_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB   NOT NULL,
    session_id BIGINT  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    used_at    BIGINT
);
CREATE UNIQUE INDEX not_me_tokens_token_hash_key ON not_me_tokens (token_hash);
CREATE INDEX not_me_tokens_expires_idx ON not_me_tokens (expires_at);

-- Per account: the newest session id when the sessions page was last opened (seen_session_id)
-- and at the visit before (seen_before_session_id), so reloading the list after a revoke keeps
-- the same "New" badges. Ids, not times: two sign-ins within one second stay apart.
CREATE TABLE session_page_visits (
    user_id                BIGINT  PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    seen_at                BIGINT  NOT NULL,
    seen_session_id        BIGINT  NOT NULL,
    seen_before_session_id BIGINT
);
