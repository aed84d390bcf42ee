-- no-transaction
-- Protocol version 5: a member of the patient's home-care team (the
-- visiting nurse, a new home-care doctor, the care manager) may report
-- where the patient is; such an event's source is 'team'. SQLite cannot
-- change a CHECK in place, so the table is rebuilt as 0011 did (foreign
-- keys off, then one transaction); run again after a crash before sqlx
-- recorded it, it rebuilds from the table as it is, which is the same.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS referral_events_rebuilt;
CREATE TABLE referral_events_rebuilt (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    status       TEXT,
    details      TEXT,
    voids        TEXT REFERENCES referral_events (id),
    note         TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL CHECK (source IN ('clinic', 'desk', 'liaison', 'team')),
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    CHECK (details IS NULL OR voids IS NULL),
    CHECK (details IS NOT NULL OR voids IS NOT NULL OR note <> '')
);
INSERT INTO referral_events_rebuilt (seq, id, referral_id, status, details, voids, note, source, actor, at)
    SELECT seq, id, referral_id, status, details, voids, note, source, actor, at FROM referral_events;
DROP TABLE referral_events;
ALTER TABLE referral_events_rebuilt RENAME TO referral_events;
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, seq);
-- The worklist raises each note from the region until it is dismissed.
CREATE INDEX referral_events_notes ON referral_events (seq)
    WHERE details IS NULL AND voids IS NULL;
CREATE TRIGGER referral_events_no_update BEFORE UPDATE ON referral_events
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only');
END;
CREATE TRIGGER referral_events_no_delete BEFORE DELETE ON referral_events
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only');
END;
COMMIT;
PRAGMA foreign_keys = ON;
