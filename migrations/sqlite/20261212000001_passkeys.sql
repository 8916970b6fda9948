-- no-transaction
-- Passkeys (WebAuthn, issue 23): each account's passkeys, the server-side state of a ceremony in
-- progress, and sessions that signed in with a passkey. The sessions table is rebuilt because
-- ALTER TABLE cannot change the CHECK on sign_in_method (the way of
-- 20261204000003_session_ids_never_repeat.sql, keeping the AUTOINCREMENT counter so that ids
-- never repeat, SEC-42).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

-- The user handle passkeys carry (16 random bytes, a UUID), made when the first one is added;
-- a discoverable sign-in names the account by it.
ALTER TABLE users ADD COLUMN webauthn_handle BLOB;
CREATE UNIQUE INDEX users_webauthn_handle_key ON users (webauthn_handle)
    WHERE webauthn_handle IS NOT NULL;

-- `passkey`: webauthn-rs' Passkey as JSON (public key, counter, backup state); no secret. The
-- credential id is unique across all accounts (a credential registered twice is refused).
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BLOB    NOT NULL,
    passkey       TEXT    NOT NULL,
    name          TEXT    NOT NULL CHECK (length(name) <= 64),
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT
);
CREATE UNIQUE INDEX passkeys_credential_id_key ON passkeys (credential_id);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);

-- A ceremony in progress: single use (taken with DELETE … RETURNING), five minutes, readable by
-- any instance. Only the SHA-256 of the handle the browser holds is stored.
CREATE TABLE webauthn_ceremonies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    handle_hash BLOB    NOT NULL,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('register', 'login', 'step_up')),
    user_id     BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    session_id  BIGINT  REFERENCES sessions (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX webauthn_ceremonies_handle_key ON webauthn_ceremonies (handle_hash);
CREATE INDEX webauthn_ceremonies_expires_idx ON webauthn_ceremonies (expires_at);

CREATE TABLE sessions_new (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id              TEXT    NOT NULL,
    token_hash             BLOB    NOT NULL,
    user_id                BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind                   TEXT    NOT NULL CHECK (kind IN ('web', 'cli')),
    user_agent             TEXT    CHECK (length(CAST(user_agent AS BLOB)) <= 1024),
    ip                     TEXT,
    sign_in_method         TEXT    NOT NULL
        CHECK (sign_in_method IN ('password', 'dev', 'cli', 'passkey')),
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
    revoked_by_label       TEXT,
    assurance_level        BIGINT  NOT NULL DEFAULT 1 CHECK (assurance_level IN (1, 2)),
    mfa_updated_at         BIGINT,
    totp_proved_at         BIGINT,
    -- When this session last proved one of the account's passkeys (sign-in or step-up).
    passkey_proved_at      BIGINT
);
INSERT INTO sessions_new (id, public_id, token_hash, user_id, kind, user_agent, ip,
    sign_in_method, mfa_factors, label, created_at, authenticated_at, last_seen_at, expires_at,
    revoked_at, revoked_reason, revoked_by_session_id, refused_count, last_refused_at, last_ip,
    device_id, reauth_failures, last_reauth_failure_at, revoked_by_label, assurance_level,
    mfa_updated_at, totp_proved_at)
SELECT id, public_id, token_hash, user_id, kind, user_agent, ip,
    sign_in_method, mfa_factors, label, created_at, authenticated_at, last_seen_at, expires_at,
    revoked_at, revoked_reason, revoked_by_session_id, refused_count, last_refused_at, last_ip,
    device_id, reauth_failures, last_reauth_failure_at, revoked_by_label, assurance_level,
    mfa_updated_at, totp_proved_at
FROM sessions;
-- Keep the counter past ids whose rows were purged (ids never repeat).
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'sessions_new', seq FROM sqlite_sequence WHERE name = 'sessions'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sessions_new');
UPDATE sqlite_sequence
   SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'sessions'), 0))
 WHERE name = 'sessions_new';
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_live_idx ON sessions (user_id, last_seen_at) WHERE revoked_at IS NULL;
CREATE INDEX sessions_user_ended_idx ON sessions (user_id, revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_device_idx ON sessions (device_id) WHERE device_id IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
