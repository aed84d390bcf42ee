-- ACP (人生会議, issue 19): one row per conversation recorded. Rows are
-- never changed or removed (the triggers below refuse it): a change of
-- mind is a new row, and the earlier wishes stay readable. The current
-- wishes are the row of the latest conversation (`held_on`, then
-- `recorded_at`). Codes are the domain's (`acp::Place`, `acp::Wish`);
-- `participants` is a JSON array of {role, name, relation}.
-- `recorded_by_name` is how the record is signed: the account's role and
-- name as they were when it was recorded.
CREATE TABLE acp_records (
    id                  TEXT PRIMARY KEY,
    patient_id          TEXT NOT NULL REFERENCES patients (id),
    held_on             TEXT NOT NULL,
    participants        TEXT NOT NULL
                          CHECK (json_valid(participants) AND json_type(participants) = 'array'),
    values_text         TEXT NOT NULL DEFAULT '',
    place_of_care       TEXT NOT NULL,
    place_of_care_note  TEXT NOT NULL DEFAULT '',
    place_of_death      TEXT NOT NULL,
    place_of_death_note TEXT NOT NULL DEFAULT '',
    wish_cpr            TEXT NOT NULL,
    wish_ventilation    TEXT NOT NULL,
    wish_tube_feeding   TEXT NOT NULL,
    wish_transfusion    TEXT NOT NULL,
    wish_drip           TEXT NOT NULL,
    wish_admission      TEXT NOT NULL,
    wishes_note         TEXT NOT NULL DEFAULT '',
    surrogate_name      TEXT,
    surrogate_relation  TEXT,
    surrogate_phone     TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    recorded_by         TEXT NOT NULL,
    recorded_by_name    TEXT NOT NULL,
    recorded_at         TEXT NOT NULL
);

CREATE INDEX acp_records_by_patient ON acp_records (patient_id, held_on, recorded_at);

CREATE TRIGGER acp_records_are_not_changed BEFORE UPDATE ON acp_records
BEGIN
    SELECT RAISE(ABORT, 'ACP records are immutable');
END;

CREATE TRIGGER acp_records_are_not_removed BEFORE DELETE ON acp_records
BEGIN
    SELECT RAISE(ABORT, 'ACP records are immutable');
END;
