-- Issue 17, 紹介状なし入院: a liaison who found a pre-registered patient
-- records the admission, which opens an episode held by that hospital
-- (a leg of kind 'admitted').
ALTER TABLE referral_legs DROP CONSTRAINT referral_legs_how_check;
ALTER TABLE referral_legs ADD CONSTRAINT referral_legs_how_check
    CHECK (how IN ('addressed', 'assigned', 'claimed', 'transferred', 'admitted'));

-- Whether a consent in force pre-registers the patient with `hospital`
-- (all participating hospitals when none were chosen): what the look-up
-- and the admission without a letter ask.
CREATE FUNCTION preregistered_with(patient uuid, hospital uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT hospital IS NOT NULL AND EXISTS (
        SELECT 1 FROM consents c
        WHERE c.patient_id = patient AND c.withdrawn_on IS NULL AND c.preregistration
          AND (cardinality(c.preregistered_with) = 0
               OR hospital = ANY (c.preregistered_with)))
$$;

-- Whether a consent in force lets `hospital` see the patient's referrals:
-- one that covers the hospitals the patient is referred to, or one that
-- pre-registers the patient with that hospital. The one place this rule
-- is written: every query of what a hospital may see calls it.
CREATE FUNCTION hospital_may_see(patient uuid, hospital uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT hospital IS NOT NULL AND (
        EXISTS (SELECT 1 FROM consents c
                WHERE c.patient_id = patient AND c.withdrawn_on IS NULL
                  AND c.destination_hospital)
        OR preregistered_with(patient, hospital))
$$;
