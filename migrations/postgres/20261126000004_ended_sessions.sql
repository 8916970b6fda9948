-- Recently ended: how often an ended session's token was presented again (refused), and when
-- last; the list of an account's ended sessions reads them newest first.
ALTER TABLE sessions ADD COLUMN refused_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_refused_at BIGINT;
CREATE INDEX sessions_user_ended_idx ON sessions (user_id, revoked_at) WHERE revoked_at IS NOT NULL;
