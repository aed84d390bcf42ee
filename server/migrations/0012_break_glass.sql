-- Break-glass (緊急閲覧, ADR 0018): a portal user opens, read-only and for
-- a short while, a referral outside their scope, stating why. Each one is
-- a row here until an administrator acknowledges it; the audit log holds
-- its start, every view under it and its end.
CREATE TABLE break_glass (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id),
    referral_id      uuid NOT NULL REFERENCES referrals (id),
    reason           text NOT NULL CHECK (length(reason) BETWEEN 10 AND 500
                                          AND reason = btrim(reason)),
    started_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL CHECK (expires_at > started_at),
    -- Ended early by the person (the button on the banner).
    ended_at         timestamptz,
    acknowledged_by  uuid REFERENCES users (id),
    acknowledged_at  timestamptz,
    CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL)),
    -- Nobody acknowledges their own.
    CHECK (acknowledged_by <> user_id)
);
-- A person's live ones (the banner, on every page).
CREATE INDEX break_glass_by_user ON break_glass (user_id, expires_at);
-- The desk's list of those still to acknowledge.
CREATE INDEX break_glass_pending ON break_glass (started_at) WHERE acknowledged_at IS NULL;

-- The runtime role records, ends and acknowledges one, and nothing else:
-- who, which referral, why and when stay as written, and no row is
-- removed (see 0004 on the runtime role).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON break_glass FROM tsunagu_app;
        GRANT UPDATE (ended_at, acknowledged_by, acknowledged_at) ON break_glass TO tsunagu_app;
    END IF;
END
$$;
