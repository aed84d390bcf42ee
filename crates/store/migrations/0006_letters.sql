-- Letters being written: whatever the user typed, saved as they type, so
-- closing the app loses nothing. `content` is the app's draft JSON.
CREATE TABLE letter_drafts (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients (id),
    kind        TEXT NOT NULL CHECK (kind IN ('referral', 'discharge')),
    content     TEXT NOT NULL,
    -- A correction: the issued letter this draft will supersede.
    supersedes  TEXT REFERENCES letters (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX letter_drafts_by_patient ON letter_drafts (patient_id, updated_at);

-- A referral episode: from the letter to the patient's return. Its status is
-- the latest of its append-only events (issue 4 builds on this).
CREATE TABLE referrals (
    id             TEXT PRIMARY KEY,
    patient_id     TEXT NOT NULL REFERENCES patients (id),
    tracking_code  TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL
);
CREATE INDEX referrals_by_patient ON referrals (patient_id);

-- `details` is the domain's EventDetails JSON (status, date, …); an event
-- that marks an earlier one as entered in error has no details and names
-- it in `voids`. `source` says who recorded it: this clinic, the regional
-- desk or a hospital liaison (the latter two arrive through sync).
CREATE TABLE referral_events (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    status       TEXT,
    details      TEXT,
    voids        TEXT REFERENCES referral_events (id),
    note         TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL CHECK (source IN ('clinic', 'desk', 'liaison')),
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    CHECK ((details IS NULL) <> (voids IS NULL))
);
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, seq);

-- Issued letters never change: a correction is a new row (version + 1)
-- that names the one it supersedes.
CREATE TABLE letters (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id),
    kind            TEXT NOT NULL CHECK (kind IN ('referral', 'discharge')),
    version         INTEGER NOT NULL CHECK (version >= 1),
    supersedes      TEXT REFERENCES letters (id),
    referral_id     TEXT REFERENCES referrals (id),
    to_institution  TEXT NOT NULL,
    to_department   TEXT NOT NULL,
    to_doctor       TEXT NOT NULL,
    draft           TEXT NOT NULL,   -- the draft it was issued from (to correct it)
    input           TEXT NOT NULL,   -- the renderer's input, exactly
    pdf             BLOB NOT NULL,
    sha256          TEXT NOT NULL,
    issued_on       TEXT NOT NULL,   -- the date printed on the letter
    issued_at       TEXT NOT NULL,
    issued_by       TEXT NOT NULL
);
CREATE INDEX letters_by_patient ON letters (patient_id, issued_at);
CREATE INDEX letters_by_time ON letters (issued_at);

CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
BEGIN
    SELECT RAISE(ABORT, 'issued letters are immutable');
END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN
    SELECT RAISE(ABORT, 'issued letters are immutable');
END;
CREATE TRIGGER referral_events_no_update BEFORE UPDATE ON referral_events
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only');
END;
CREATE TRIGGER referral_events_no_delete BEFORE DELETE ON referral_events
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only');
END;

-- Destinations the clinic marked as favourites (recent ones come from letters).
CREATE TABLE favourite_destinations (
    institution  TEXT NOT NULL,
    department   TEXT NOT NULL,
    doctor       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (institution, department, doctor)
);
