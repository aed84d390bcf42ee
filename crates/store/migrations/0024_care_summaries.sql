-- 医療・介護連携サマリー (issue 19): one row per change, never changed or
-- removed (the triggers refuse it); the latest row is the summary. Lists
-- are JSON arrays of strings, most important first. `recorded_by_name`
-- is how the change is signed (role and name as they were).
CREATE TABLE care_summaries (
    id                TEXT PRIMARY KEY,
    patient_id        TEXT NOT NULL REFERENCES patients (id),
    problems          TEXT NOT NULL CHECK (json_valid(problems) AND json_type(problems) = 'array'),
    medications       TEXT NOT NULL CHECK (json_valid(medications) AND json_type(medications) = 'array'),
    allergies         TEXT NOT NULL DEFAULT '',
    devices           TEXT NOT NULL CHECK (json_valid(devices) AND json_type(devices) = 'array'),
    next_visit        TEXT,
    cautions          TEXT NOT NULL DEFAULT '',
    after_hours_phone TEXT NOT NULL DEFAULT '',
    recorded_by       TEXT NOT NULL,
    recorded_by_name  TEXT NOT NULL,
    recorded_at       TEXT NOT NULL
);

CREATE INDEX care_summaries_by_patient ON care_summaries (patient_id, recorded_at);

CREATE TRIGGER care_summaries_are_not_changed BEFORE UPDATE ON care_summaries
BEGIN
    SELECT RAISE(ABORT, 'care summaries are immutable');
END;

CREATE TRIGGER care_summaries_are_not_removed BEFORE DELETE ON care_summaries
BEGIN
    SELECT RAISE(ABORT, 'care summaries are immutable');
END;
