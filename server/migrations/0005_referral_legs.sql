-- The hospitals a referral has been with: the one it was addressed to (or
-- assigned by the desk, or claimed with the tracking code), and each one it
-- was transferred to. A hospital sees a referral while it has a leg of it
-- (and the patient's consent covers hospitals).
CREATE TABLE referral_legs (
    referral_id  uuid NOT NULL REFERENCES referrals (id),
    hospital_id  uuid NOT NULL REFERENCES organisations (id),
    since        timestamptz NOT NULL DEFAULT now(),
    -- addressed, assigned (by the desk) or claimed (by the hospital).
    how          text NOT NULL CHECK (how IN ('addressed', 'assigned', 'claimed')),
    PRIMARY KEY (referral_id, hospital_id)
);
CREATE INDEX referral_legs_by_hospital ON referral_legs (hospital_id);

INSERT INTO referral_legs (referral_id, hospital_id, since, how)
SELECT id, hospital_id, created_at, 'addressed' FROM referrals WHERE hospital_id IS NOT NULL;
