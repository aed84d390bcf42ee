-- Issue 17, 事前登録: a consent may pre-register the patient with the
-- region's hospitals, so that a hospital's liaison can find the patient by
-- identity when the patient arrives without a letter. `preregistered_with`
-- holds the hospitals chosen, as a JSON array of their ids (hyphenated
-- lowercase text, in the order chosen); an empty array with the scope
-- means every participating hospital, and without the scope it is always
-- empty (the domain's `check_team_sharing_consent` makes it so). Existing
-- consents pre-register nobody.
ALTER TABLE consents ADD COLUMN preregistration INTEGER NOT NULL DEFAULT 0
    CHECK (preregistration IN (0, 1));
ALTER TABLE consents ADD COLUMN preregistered_with TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(preregistered_with) AND json_type(preregistered_with) = 'array'
           AND (preregistration = 1 OR preregistered_with = '[]'));
