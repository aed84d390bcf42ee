-- Organisations of every kind in the talk (issue 16, ADR 0021): the codes
-- are the domain's `OrganisationKind` codes (`clinic`, `hospital` and
-- `desk` as before). Devices still enroll for clinics, hospitals and the
-- desk only; the other kinds sign in to the portal.
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check CHECK (kind IN (
    'hospital', 'clinic', 'visiting_nurse_station', 'care_management_office', 'pharmacy',
    'dental_clinic', 'home_rehabilitation', 'care_service', 'community_support_center',
    'desk'));

-- The organisation's own setting, read when teams invite it (a later
-- slice): its administrator approves every acceptance before its staff
-- see a team.
ALTER TABLE organisations ADD COLUMN requires_approval boolean NOT NULL DEFAULT false;

-- An organisation's own administrator (機関の管理者) and its staff (職員).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'desk', 'liaison', 'org_admin', 'staff'));

-- Each account's profession (the domain's `Profession` code). Every
-- account until now is the desk's coordinators or a hospital's liaison
-- officers: MSW・連携担当者.
ALTER TABLE users ADD COLUMN profession text NOT NULL DEFAULT 'liaison';
ALTER TABLE users ALTER COLUMN profession DROP DEFAULT;
ALTER TABLE users ADD CONSTRAINT users_profession_check CHECK (profession IN (
    'physician', 'dentist', 'nurse', 'pharmacist', 'care_manager', 'therapist',
    'care_worker', 'liaison', 'clerk'));

-- An account an organisation's administrator creates waits for the
-- desk's approval (as MCS does): `pending` cannot sign in; `rejected`
-- never will. Accounts the desk creates are approved at once.
ALTER TABLE users ADD COLUMN approval text NOT NULL DEFAULT 'approved'
    CHECK (approval IN ('pending', 'approved', 'rejected'));
CREATE INDEX users_pending ON users (created_at) WHERE approval = 'pending';
