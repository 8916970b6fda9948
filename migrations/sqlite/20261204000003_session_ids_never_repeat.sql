-- no-transaction
-- Session ids never repeat (issue 21, SEC-42): "New" badges compare ids, and without
-- AUTOINCREMENT SQLite hands out the highest id again once that row is purged. The table is
-- rebuilt the way SQLite documents for schema changes ALTER TABLE cannot make (foreign keys off
-- while the table is swapped, checked before commit). PostgreSQL's identity never repeats.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE sessions_new (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id              TEXT    NOT NULL,
    token_hash             BLOB    NOT NULL,
    user_id                BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind                   TEXT    NOT NULL CHECK (kind IN ('web', 'cli')),
    user_agent             TEXT    CHECK (length(CAST(user_agent AS BLOB)) <= 1024),
    ip                     TEXT,
    sign_in_method         TEXT    NOT NULL CHECK (sign_in_method IN ('password', 'dev', 'cli')),
    mfa_factors            TEXT    NOT NULL DEFAULT '[]',
    label                  TEXT,
    created_at             BIGINT  NOT NULL,
    authenticated_at       BIGINT  NOT NULL,
    last_seen_at           BIGINT  NOT NULL,
    expires_at             BIGINT  NOT NULL,
    revoked_at             BIGINT,
    revoked_reason         TEXT,
    revoked_by_session_id  BIGINT  REFERENCES sessions (id) ON DELETE SET NULL,
    refused_count          BIGINT  NOT NULL DEFAULT 0,
    last_refused_at        BIGINT,
    last_ip                TEXT,
    device_id              BIGINT  REFERENCES trusted_devices (id) ON DELETE SET NULL,
    reauth_failures        BIGINT  NOT NULL DEFAULT 0,
    last_reauth_failure_at BIGINT,
    revoked_by_label       TEXT
);
INSERT INTO sessions_new (id, public_id, token_hash, user_id, kind, user_agent, ip,
    sign_in_method, mfa_factors, label, created_at, authenticated_at, last_seen_at, expires_at,
    revoked_at, revoked_reason, revoked_by_session_id, refused_count, last_refused_at, last_ip,
    device_id, reauth_failures, last_reauth_failure_at, revoked_by_label)
SELECT id, public_id, token_hash, user_id, kind, user_agent, ip,
    sign_in_method, mfa_factors, label, created_at, authenticated_at, last_seen_at, expires_at,
    revoked_at, revoked_reason, revoked_by_session_id, refused_count, last_refused_at, last_ip,
    device_id, reauth_failures, last_reauth_failure_at, revoked_by_label
FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_live_idx ON sessions (user_id, last_seen_at) WHERE revoked_at IS NULL;
CREATE INDEX sessions_user_ended_idx ON sessions (user_id, revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_device_idx ON sessions (device_id) WHERE device_id IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
