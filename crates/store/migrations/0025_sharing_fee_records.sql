-- 在宅医療情報連携加算 (issue 19, ADR 0039): what the physician records
-- for a home-care patient and a month (`month`, `YYYY-MM`, Japan time).
-- One row per version, never changed or removed (the triggers refuse
-- it); the latest recorded version of a patient's month is the one that
-- counts. `change_summary` is empty when the policy did not change.
-- `timeline_entry_id` is the 連絡 that shared it on the team's timeline
-- (NULL when it could not be shared: no team or no consent naming it).
-- `recorded_by_name` is how the record is signed (role and name as they
-- were).
CREATE TABLE sharing_fee_records (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES patients (id),
    month              TEXT NOT NULL
                         CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    next_visit         TEXT NOT NULL,
    policy_changed     INTEGER NOT NULL CHECK (policy_changed IN (0, 1)),
    change_summary     TEXT NOT NULL DEFAULT ''
                         CHECK (policy_changed = 1 OR change_summary = ''),
    care_points        TEXT NOT NULL DEFAULT '',
    timeline_entry_id  TEXT,
    recorded_by        TEXT NOT NULL,
    recorded_by_name   TEXT NOT NULL,
    recorded_at        TEXT NOT NULL
);

CREATE INDEX sharing_fee_records_by_month ON sharing_fee_records (month, patient_id, recorded_at);
CREATE INDEX sharing_fee_records_by_patient ON sharing_fee_records (patient_id, month, recorded_at);

CREATE TRIGGER sharing_fee_records_are_not_changed BEFORE UPDATE ON sharing_fee_records
BEGIN
    SELECT RAISE(ABORT, 'sharing fee records are immutable');
END;

CREATE TRIGGER sharing_fee_records_are_not_removed BEFORE DELETE ON sharing_fee_records
BEGIN
    SELECT RAISE(ABORT, 'sharing fee records are immutable');
END;
