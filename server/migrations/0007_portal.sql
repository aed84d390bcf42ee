-- The portal (issue 6): what liaison officers and the desk need beside the
-- sync tables, and the portal's sign-in state. Everything lives here, not
-- in server memory, so several server processes can share the load.

-- What the referral letter says about its sender and purpose (protocol
-- version 2): the family doctor stays known through every transfer.
ALTER TABLE referrals ADD COLUMN letter jsonb;

-- A hospital that took the patient over on a transfer recorded in the portal.
ALTER TABLE referral_legs DROP CONSTRAINT referral_legs_how_check;
ALTER TABLE referral_legs ADD CONSTRAINT referral_legs_how_check
    CHECK (how IN ('addressed', 'assigned', 'claimed', 'transferred'));

-- The second factor: a secret offered on the set-up page becomes the
-- account's once a code from it is typed back. The last accepted time step
-- is kept so that one code cannot be used twice.
ALTER TABLE users ADD COLUMN totp_pending_secret text;
ALTER TABLE users ADD COLUMN totp_last_step bigint;

-- Single-use codes for a lost authenticator; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    user_id      uuid NOT NULL REFERENCES users (id),
    code_sha256  text NOT NULL,
    used_at      timestamptz,
    PRIMARY KEY (user_id, code_sha256)
);

-- A signed-in browser. The cookie holds a random token; only its SHA-256
-- is kept. `stage` is 'password' until the second factor is given.
CREATE TABLE portal_sessions (
    token_sha256  text PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id),
    stage         text NOT NULL CHECK (stage IN ('password', 'full')),
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz
);
CREATE INDEX portal_sessions_by_user ON portal_sessions (user_id);

-- Failed sign-ins (password or second factor), by login and by address.
CREATE TABLE login_failures (
    login    text NOT NULL,
    address  text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_by_login ON login_failures (login, at);
CREATE INDEX login_failures_by_address ON login_failures (address, at);

-- Tracking codes a liaison officer typed that found nothing: repeated
-- misses are refused for a while, so codes cannot be found by guessing.
CREATE TABLE lookup_misses (
    user_id  uuid NOT NULL REFERENCES users (id),
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lookup_misses_by_user ON lookup_misses (user_id, at);

-- The desk's calls about a referral: who was called, what was learned.
CREATE TABLE call_logs (
    id           uuid PRIMARY KEY,
    referral_id  uuid NOT NULL REFERENCES referrals (id),
    user_id      uuid NOT NULL REFERENCES users (id),
    called       text NOT NULL CHECK (length(called) BETWEEN 1 AND 200),
    learned      text NOT NULL CHECK (length(learned) BETWEEN 1 AND 2000),
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_logs_by_referral ON call_logs (referral_id, at);

CREATE INDEX audit_log_by_entity ON audit_log (entity_id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at);

-- A call once logged stays as it was (see 0004 on the runtime role).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON call_logs FROM tsunagu_app;
    END IF;
END
$$;
