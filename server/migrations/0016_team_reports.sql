-- Issue 16: a member of the patient's home-care team (the visiting nurse,
-- a new home-care doctor, the care manager) may report where the patient
-- is, through the same status machine as the liaison. Such an event's
-- source is 'team'. The CHECK from 0002 has PostgreSQL's default name.
ALTER TABLE referral_events DROP CONSTRAINT referral_events_source_check;
ALTER TABLE referral_events ADD CONSTRAINT referral_events_source_check
    CHECK (source IN ('clinic', 'desk', 'liaison', 'team'));

-- The team page shows the patient's latest referral.
CREATE INDEX referrals_by_patient ON referrals (patient_id, created_at);
