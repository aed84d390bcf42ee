-- 退院時カンファレンス (issue 17): the physician or a hospital's liaison
-- sets one on the team; each invitee answers 出席, 欠席 or オンライン.

-- A conference as the server's feed last said it (each change brings it
-- whole: a later one replaces the row and its invitees), or as set here
-- while its operation waits in the outbox (`confirmed` 0, the operation's
-- `record_id` the conference). Codes are the domain's: `state` a
-- `ConferenceState`, `attendance` an `Attendance`. The clinic's own answer
-- and its calling off, given here, are kept beside the feed's columns
-- (`local_*`) until the feed's next word once their operations no longer
-- wait; `answer_op` and `cancel_op` are those operations' `record_id`s, so
-- that whether the latest waits, was applied or was refused is read from
-- the outbox, the one record of it.
CREATE TABLE team_conferences (
    id                  TEXT PRIMARY KEY,
    team_id             TEXT NOT NULL REFERENCES teams (id),
    starts_at           TEXT NOT NULL,
    place               TEXT NOT NULL DEFAULT '',
    link                TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL CHECK (state IN ('scheduled', 'held', 'cancelled')),
    organiser_member_id TEXT NOT NULL,
    organiser           TEXT NOT NULL DEFAULT '',
    minutes_entry_id    TEXT,
    scheduled_at        TEXT NOT NULL,
    confirmed           INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    local_attendance    TEXT CHECK (local_attendance IN ('attend', 'absent', 'online')),
    local_answered_by   TEXT NOT NULL DEFAULT '',
    local_answered_at   TEXT,
    answer_op           TEXT,
    local_cancelled_at  TEXT,
    cancel_op           TEXT,
    updated_at          TEXT NOT NULL,
    CHECK ((local_attendance IS NULL) = (local_answered_at IS NULL))
);
CREATE INDEX team_conferences_by_team ON team_conferences (team_id, starts_at);

-- Whom a conference invites, in the order asked, with each one's answer.
CREATE TABLE team_conference_invitees (
    conference_id  TEXT NOT NULL REFERENCES team_conferences (id),
    member_id      TEXT NOT NULL,
    position       INTEGER NOT NULL,
    attendance     TEXT NOT NULL DEFAULT 'pending'
                     CHECK (attendance IN ('pending', 'attend', 'absent', 'online')),
    answered_by    TEXT NOT NULL DEFAULT '',
    answered_at    TEXT,
    PRIMARY KEY (conference_id, member_id)
);

-- A team operation's record, newest last: where the latest about a
-- conference (or a team's start) stands.
CREATE INDEX sync_outbox_team_records ON sync_outbox (record_id, op_seq) WHERE kind = 'team';
