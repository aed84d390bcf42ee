-- The clinic's own profile: exactly one row once the first-start form is saved.
CREATE TABLE clinic_profile (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    name             TEXT NOT NULL,
    institution_code TEXT,
    postal_code      TEXT NOT NULL,
    address          TEXT NOT NULL,
    phone            TEXT NOT NULL,
    fax              TEXT NOT NULL,
    doctor_name      TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- `pk` is a local row number for compact search indexes; `id` (UUIDv7) is the
-- identity that later travels to the regional server.
CREATE TABLE patients (
    pk                  INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    kana                TEXT NOT NULL,
    birth_date          TEXT NOT NULL,
    sex                 TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other')),
    address             TEXT NOT NULL,
    phone               TEXT NOT NULL,
    key_person_name     TEXT NOT NULL,
    key_person_relation TEXT NOT NULL,
    key_person_phone    TEXT NOT NULL,
    chart_number        TEXT UNIQUE,
    memo                TEXT NOT NULL,
    -- Search forms (NFKC, no spaces, hiragana): derived from name and kana on every write.
    name_search         TEXT NOT NULL,
    kana_search         TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    deleted_at          TEXT
);

-- The patient list in 五十音 order, and the ordered scan for very common search terms.
CREATE INDEX patients_active_by_kana ON patients (kana_search, name_search) WHERE deleted_at IS NULL;
CREATE INDEX patients_deleted ON patients (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX patients_birth_date ON patients (birth_date);

-- Substring search for active patients: every 1-, 2- and 3-character gram of
-- name_search and kana_search. A query's rarest gram gives a short candidate
-- list that is then verified with instr().
CREATE TABLE patient_grams (
    gram       TEXT NOT NULL,
    patient_pk INTEGER NOT NULL,
    PRIMARY KEY (gram, patient_pk)
) WITHOUT ROWID;

-- Who did what to which patient. Append-only: the triggers refuse edits.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id   TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
