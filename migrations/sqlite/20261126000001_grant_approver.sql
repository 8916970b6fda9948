-- The session that approved a CLI grant: the grant can be redeemed only while that session is
-- live, and the CLI session it becomes is never fresher than it (inherits authenticated_at).
ALTER TABLE cli_grants ADD COLUMN approved_by_session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL;
