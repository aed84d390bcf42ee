-- Attempts are counted before they are tried (issue 15): an attempt takes
-- a row at once, under a lock on its key, and gives it back only if it
-- succeeds, so simultaneous attempts cannot all pass the check. The id
-- names the row to give back.
ALTER TABLE login_failures ADD COLUMN id uuid;
ALTER TABLE lookup_misses ADD COLUMN id uuid;
ALTER TABLE enrollment_failures ADD COLUMN id uuid;

-- One second-factor attempt in flight per session: set while a code is
-- being checked, cleared after; a claim older than a minute (its process
-- died) is stale.
ALTER TABLE portal_sessions ADD COLUMN factor_attempt_since timestamptz;
