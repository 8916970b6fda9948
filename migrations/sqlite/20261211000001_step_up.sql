-- Step-up at the account's strongest factor (issue 23): when each session last proved its
-- authenticator app. A sign-in with password and code proves it then; a code entered to confirm
-- a sensitive action proves it again. A recovery code never does.
ALTER TABLE sessions ADD COLUMN totp_proved_at BIGINT;
UPDATE sessions SET totp_proved_at = authenticated_at WHERE mfa_factors LIKE '%"totp"%';
