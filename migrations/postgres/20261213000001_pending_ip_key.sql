-- The address budget a pending sign-in's password step counted in, so that completing the
-- second step takes that failure back (the owner's own sign-ins do not fill their address's budget).
ALTER TABLE pending_sign_ins ADD COLUMN ip_key TEXT NOT NULL DEFAULT '';
