-- The first protocol version that can read each change of the feed (the
-- protocol's `ChangeBody::since_version`), recorded with the change when
-- it is appended: a pull then sends the stored body as it is, instead of
-- decoding every change only to ask it that (a first sync reads hundreds
-- of thousands).
--
-- The changes already in the feed are given theirs from their bodies, by
-- the same rule as it stands now: the directory, the team's changes and
-- events a team member recorded since version 5; consents, and events with
-- neither details nor voids (notes), since version 3; everything else
-- since version 1.
-- server/tests/feed_versions.rs holds this to the protocol's function.
ALTER TABLE change_log ADD COLUMN since_version integer;

UPDATE change_log SET since_version = CASE
    WHEN body->>'change' IN ('directory_listed', 'team') THEN 5
    WHEN body->>'change' = 'event_appended' AND body->>'source' = 'team' THEN 5
    WHEN body->>'change' = 'consent_recorded' THEN 3
    WHEN body->>'change' = 'event_appended'
         AND coalesce(body->'event'->'details', 'null') = 'null'
         AND coalesce(body->'event'->'voids', 'null') = 'null' THEN 3
    ELSE 1
END;

ALTER TABLE change_log ALTER COLUMN since_version SET NOT NULL;
