-- Issue 19, the team's pinned 医療・介護連携サマリー (ADR 0042): each
-- version the owning clinic pushes is a row, never changed (the runtime
-- role may only add one); the latest per team is the one pinned at the
-- top of the team's page. `summary` is the wire's `WirePinnedSummary` as
-- the clinic sent it: codes and the clinic's words, never labels.
CREATE TABLE team_pinned_summaries (
    id               uuid PRIMARY KEY,
    team_id          uuid NOT NULL REFERENCES teams (id),
    -- Per team, from 1: which version a member saw.
    version          integer NOT NULL CHECK (version >= 1),
    summary          jsonb NOT NULL,
    -- The emergency sheet's PDF, uploaded by the clinic before it.
    emergency_sheet  uuid REFERENCES team_attachments (id),
    -- E.g. 山田内科クリニック 医師 鈴木 一郎, and who in the audit log.
    author           text NOT NULL,
    author_actor     text NOT NULL,
    written_at       timestamptz NOT NULL,
    pinned_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, version)
);
-- A sheet is the file of one team's summary.
CREATE INDEX team_pinned_summaries_by_sheet ON team_pinned_summaries (emergency_sheet)
    WHERE emergency_sheet IS NOT NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON team_pinned_summaries FROM tsunagu_app;
    END IF;
END
$$;
