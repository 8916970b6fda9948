-- Passkeys (WebAuthn, issue 23): each account's passkeys, the server-side state of a ceremony in
-- progress, and sessions that signed in with a passkey.

-- The user handle passkeys carry (16 random bytes, a UUID), made when the first one is added;
-- a discoverable sign-in names the account by it.
ALTER TABLE users ADD COLUMN webauthn_handle BYTEA;
CREATE UNIQUE INDEX users_webauthn_handle_key ON users (webauthn_handle)
    WHERE webauthn_handle IS NOT NULL;

-- `passkey`: webauthn-rs' Passkey as JSON (public key, counter, backup state); no secret. The
-- credential id is unique across all accounts (a credential registered twice is refused).
CREATE TABLE passkeys (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BYTEA   NOT NULL,
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
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle_hash BYTEA   NOT NULL,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('register', 'login', 'step_up')),
    user_id     BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    session_id  BIGINT  REFERENCES sessions (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX webauthn_ceremonies_handle_key ON webauthn_ceremonies (handle_hash);
CREATE INDEX webauthn_ceremonies_expires_idx ON webauthn_ceremonies (expires_at);

ALTER TABLE sessions DROP CONSTRAINT sessions_sign_in_method_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_sign_in_method_check
    CHECK (sign_in_method IN ('password', 'dev', 'cli', 'passkey'));
-- When this session last proved one of the account's passkeys (sign-in or step-up).
ALTER TABLE sessions ADD COLUMN passkey_proved_at BIGINT;
