-- Issue 17, 退院時カンファレンス: set on a team by the physician or a
-- hospital's liaison office, with its invitees and their answers. The
-- rules are the domain's `team::conference`; states by its codes.
CREATE TABLE team_conferences (
    id                uuid PRIMARY KEY,
    team_id           uuid NOT NULL REFERENCES teams (id),
    -- The episode the patient is in when it is set: its history says
    -- that the conference took place.
    referral_id       uuid REFERENCES referrals (id),
    starts_at         timestamptz NOT NULL,
    place             text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
    link              text NOT NULL DEFAULT '' CHECK (length(link) <= 500
                          AND (link = '' OR link ~ '^https?://')),
    note              text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    state             text NOT NULL CHECK (state IN ('scheduled', 'held', 'cancelled')),
    organiser_member  uuid NOT NULL REFERENCES team_members (id),
    organiser         text NOT NULL,
    organiser_actor   text NOT NULL,
    scheduled_at      timestamptz NOT NULL DEFAULT now(),
    reminded_at       timestamptz,
    minutes_entry     uuid REFERENCES team_entries (id),
    CHECK (place <> '' OR link <> '')
);
CREATE INDEX team_conferences_by_team ON team_conferences (team_id, starts_at);
-- The reminder's sweep.
CREATE INDEX team_conferences_to_remind ON team_conferences (starts_at)
    WHERE state = 'scheduled' AND reminded_at IS NULL;

CREATE TABLE conference_invitees (
    conference_id  uuid NOT NULL REFERENCES team_conferences (id),
    member_id      uuid NOT NULL REFERENCES team_members (id),
    attendance     text NOT NULL DEFAULT 'pending'
                       CHECK (attendance IN ('pending', 'attend', 'absent', 'online')),
    answered_by    text NOT NULL DEFAULT '',
    answered_at    timestamptz,
    PRIMARY KEY (conference_id, member_id)
);
