-- Issue 17, ward staff on the timeline: the liaison invites named people
-- of her hospital (病院主治医, 病棟看護師, MSW, リハビリ). Such a membership
-- is one account's, not the organisation's: only that account acts
-- through it, and the hospital's office membership stays beside it.
ALTER TABLE team_members ADD COLUMN user_id uuid REFERENCES users (id);
-- How many days after the patient leaves the hospital's care (discharge,
-- transfer, death) the person's access ends; `access_until` is set from
-- it when that happens, and cleared if the patient comes back first.
ALTER TABLE team_members ADD COLUMN days_after_stay smallint
    CHECK (days_after_stay BETWEEN 1 AND 90);
ALTER TABLE team_members ADD CONSTRAINT team_members_personal_stay
    CHECK ((user_id IS NULL) = (days_after_stay IS NULL));

-- An organisation is on a team once while it is invited or a member; a
-- person invited by name, once too, beside it.
DROP INDEX team_members_once;
CREATE UNIQUE INDEX team_members_once ON team_members (team_id, organisation_id)
    WHERE state IN ('invited', 'awaiting_approval', 'active') AND user_id IS NULL;
CREATE UNIQUE INDEX team_members_person_once ON team_members (team_id, user_id)
    WHERE state IN ('invited', 'awaiting_approval', 'active') AND user_id IS NOT NULL;
-- A person's own teams (the portal's list).
CREATE INDEX team_members_by_user ON team_members (user_id) WHERE user_id IS NOT NULL;
