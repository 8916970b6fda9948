-- Accounts, sessions, CLI grants and the auth audit trail (PostgreSQL).
-- Same shape as migrations/sqlite: times are whole seconds since the Unix epoch (BIGINT).

CREATE TABLE users (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    password_changed_at BIGINT  NOT NULL,
    disabled_at         BIGINT
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
    id                    BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id             TEXT    NOT NULL,
    token_hash            BYTEA   NOT NULL,
    user_id               BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind                  TEXT    NOT NULL CHECK (kind IN ('web', 'cli')),
    user_agent            TEXT    CHECK (octet_length(user_agent) <= 1024),
    ip                    TEXT,
    sign_in_method        TEXT    NOT NULL CHECK (sign_in_method IN ('password', 'dev', 'cli')),
    mfa_factors           TEXT    NOT NULL DEFAULT '[]',
    label                 TEXT,
    created_at            BIGINT  NOT NULL,
    authenticated_at      BIGINT  NOT NULL,
    last_seen_at          BIGINT  NOT NULL,
    expires_at            BIGINT  NOT NULL,
    revoked_at            BIGINT,
    revoked_reason        TEXT,
    revoked_by_session_id BIGINT  REFERENCES sessions (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
-- The list and the per-user cap read live sessions of one user by recency.
CREATE INDEX sessions_user_live_idx ON sessions (user_id, last_seen_at) WHERE revoked_at IS NULL;

CREATE TABLE cli_grants (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_code_hash    BYTEA   NOT NULL,
    user_code           TEXT    NOT NULL,
    user_agent          TEXT    CHECK (octet_length(user_agent) <= 1024),
    ip                  TEXT,
    created_at          BIGINT  NOT NULL,
    expires_at          BIGINT  NOT NULL,
    approved_by_user_id BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    approved_at         BIGINT,
    denied_at           BIGINT,
    redeemed_at         BIGINT,
    session_id          BIGINT  REFERENCES sessions (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX cli_grants_device_code_hash_key ON cli_grants (device_code_hash);
CREATE UNIQUE INDEX cli_grants_user_code_key ON cli_grants (user_code);
CREATE INDEX cli_grants_expires_idx ON cli_grants (expires_at);

CREATE TABLE auth_events (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                BIGINT  NOT NULL,
    event             TEXT    NOT NULL,
    user_id           BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    session_public_id TEXT,
    actor_public_id   TEXT,
    ip                TEXT,
    detail            TEXT
);
CREATE INDEX auth_events_user_idx ON auth_events (user_id, at);
