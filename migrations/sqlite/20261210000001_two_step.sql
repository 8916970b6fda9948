-- Two-step sign-in (issue 23): authenticator apps (TOTP, RFC 6238), recovery codes, the password
-- step waiting for its second step, and what each session proved.

-- One authenticator app per account, stored only once confirmed. The secret is sealed with
-- XChaCha20-Poly1305 under SECRETS_KEY (nonce || ciphertext || tag; the AAD binds the account).
-- `last_used_step`: the newest time step accepted; a step is accepted once (RFC 6238 §5.2).
CREATE TABLE totp_factors (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed  BLOB    NOT NULL,
    last_used_step BIGINT,
    created_at     BIGINT  NOT NULL,
    last_used_at   BIGINT
);
CREATE UNIQUE INDEX totp_factors_user_key ON totp_factors (user_id);

-- Recovery codes: SHA-256 of the normalised code (high entropy, so no slow hash); each works once.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  BLOB    NOT NULL,
    created_at BIGINT  NOT NULL,
    used_at    BIGINT
);
CREATE UNIQUE INDEX recovery_codes_user_hash_key ON recovery_codes (user_id, code_hash);

-- Password proven, second step pending: no session exists yet. Single use, 5 minutes; only the
-- SHA-256 of the token (cookie or JSON) is stored. `budget_key` is reset only on completion.
CREATE TABLE pending_sign_ins (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  BLOB    NOT NULL,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id   BIGINT  REFERENCES trusted_devices (id) ON DELETE SET NULL,
    budget_key  TEXT    NOT NULL,
    password_at BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE UNIQUE INDEX pending_sign_ins_token_key ON pending_sign_ins (token_hash);
CREATE INDEX pending_sign_ins_expires_idx ON pending_sign_ins (expires_at);

-- What each session proved: `mfa_factors` (JSON array: password, totp, recovery_code), the
-- assurance level (1: one factor, 2: two) and when its proofs last changed.
ALTER TABLE sessions ADD COLUMN assurance_level BIGINT NOT NULL DEFAULT 1
    CHECK (assurance_level IN (1, 2));
ALTER TABLE sessions ADD COLUMN mfa_updated_at BIGINT;
UPDATE sessions SET mfa_factors = '["password"]', mfa_updated_at = authenticated_at
 WHERE sign_in_method = 'password';
