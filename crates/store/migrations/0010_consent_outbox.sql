-- The patient's consent to share with the region (ADR 0008). A patient has
-- at most one consent in force (not withdrawn, sharing with someone); older
-- ones stay as history.
CREATE TABLE consents (
    id                   TEXT PRIMARY KEY,
    patient_id           TEXT NOT NULL REFERENCES patients (id),
    obtained_on          TEXT NOT NULL,
    obtained_by          TEXT NOT NULL,
    share_with_desk      INTEGER NOT NULL CHECK (share_with_desk IN (0, 1)),
    share_with_hospital  INTEGER NOT NULL CHECK (share_with_hospital IN (0, 1)),
    withdrawn_on         TEXT,
    recorded_at          TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX consents_by_patient ON consents (patient_id, recorded_at);

-- What is still to be told to the regional server, in order. A row names
-- the record; its content is read when it is pushed. Written in the same
-- transaction as the change it announces. AUTOINCREMENT: an op_seq is never
-- reused, because the server remembers (device, op_seq).
CREATE TABLE sync_outbox (
    op_seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN
                  ('patient_shared', 'consent_recorded', 'referral_opened', 'event_appended')),
    record_id   TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'refused')),
    refusal     TEXT,
    queued_at   TEXT NOT NULL,
    settled_at  TEXT
);
CREATE INDEX sync_outbox_pending ON sync_outbox (op_seq) WHERE state = 'pending';
CREATE INDEX sync_outbox_by_patient ON sync_outbox (patient_id, kind);
-- A referral is opened, and an event told, once.
CREATE UNIQUE INDEX sync_outbox_once ON sync_outbox (kind, record_id)
    WHERE kind IN ('referral_opened', 'event_appended');

-- Where each event stands in the clinic's feed on the server. Events are
-- folded in the server's order first, then the ones not yet confirmed, so
-- both sides reach the same state (ADR 0008).
CREATE TABLE synced_events (
    event_id  TEXT PRIMARY KEY REFERENCES referral_events (id),
    feed_seq  INTEGER NOT NULL
) WITHOUT ROWID;

-- The organisations registered on the server: the destinations to offer.
CREATE TABLE regional_organisations (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('clinic', 'hospital', 'desk')),
    name        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- A referral addressed to a registered hospital (or assigned by the desk).
ALTER TABLE referrals ADD COLUMN destination_org_id TEXT REFERENCES regional_organisations (id);

-- The pull cursor and the last exchange, reset with a new enrollment.
ALTER TABLE sync_device ADD COLUMN cursor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_device ADD COLUMN last_synced_at TEXT;
ALTER TABLE sync_device ADD COLUMN last_attempt_at TEXT;
ALTER TABLE sync_device ADD COLUMN last_error TEXT;
