-- Protocol version 3: a note on its own (連絡) from a hospital or the desk
-- is an event with neither details nor voids, but never an empty one.
ALTER TABLE referral_events DROP CONSTRAINT referral_events_check;
ALTER TABLE referral_events ADD CONSTRAINT referral_events_details_or_voids
    CHECK (details IS NULL OR voids IS NULL);
ALTER TABLE referral_events ADD CONSTRAINT referral_events_not_empty
    CHECK (details IS NOT NULL OR voids IS NOT NULL OR note <> '');

-- Tracking codes a hospital's device claimed and found nothing for: after
-- a few in a short while its claims are refused (as the portal's lookups
-- are, per person, in lookup_misses).
CREATE TABLE claim_misses (
    device_id  uuid NOT NULL REFERENCES devices (id),
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_misses_by_device ON claim_misses (device_id, at);
