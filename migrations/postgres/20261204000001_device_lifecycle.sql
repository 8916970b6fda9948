-- The browser as a device with a lifecycle (issue 21).
-- A device cookie can be revoked: a revoked device is unknown again (its next sign-in alerts and
-- is budgeted under the account), and it has no failure budget of its own.
ALTER TABLE trusted_devices ADD COLUMN revoked_at BIGINT;
ALTER TABLE trusted_devices ADD COLUMN revoked_reason TEXT;
-- Every browser session records the device it was started from, so "This wasn't me" can end
-- every session that browser holds and the page can tell which sessions share a browser.
ALTER TABLE sessions ADD COLUMN device_id BIGINT REFERENCES trusted_devices (id) ON DELETE SET NULL;
CREATE INDEX sessions_device_idx ON sessions (device_id) WHERE device_id IS NOT NULL;
-- Failed re-authentications per session (password page, sign out all others, CLI approval):
-- shown on the owner's page as a sign of compromise.
ALTER TABLE sessions ADD COLUMN reauth_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_reauth_failure_at BIGINT;
-- "Ended by": the name the ending session had at that moment (a later rename changes nothing).
ALTER TABLE sessions ADD COLUMN revoked_by_label TEXT;
-- What a used not-me link ended (the link's page says it).
ALTER TABLE not_me_tokens ADD COLUMN ended_sessions BIGINT;
UPDATE sessions SET revoked_by_label = (SELECT b.label FROM sessions b WHERE b.id = sessions.revoked_by_session_id)
    WHERE revoked_by_session_id IS NOT NULL;
