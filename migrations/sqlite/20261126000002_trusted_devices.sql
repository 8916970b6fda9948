-- Browsers that signed in to an account (OWASP "device cookies"): their failed logins are
-- budgeted on their own, so whoever burns the account's budget does not lock the owner out of a
-- browser they signed in with before. Only the SHA-256 of the cookie value is stored.
CREATE TABLE trusted_devices (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB    NOT NULL,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX trusted_devices_token_hash_key ON trusted_devices (token_hash);
CREATE INDEX trusted_devices_user_idx ON trusted_devices (user_id);
