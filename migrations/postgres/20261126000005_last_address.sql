-- The address a session was last used from (updated with last_seen_at, at most once a minute),
-- shown when it differs from the sign-in address.
ALTER TABLE sessions ADD COLUMN last_ip TEXT;
