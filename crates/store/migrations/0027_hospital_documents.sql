-- Documents a hospital sent through the portal (返書, 退院時サマリー; ADR
-- 0041), as the feed named them: kept until their bytes are fetched,
-- checked against `sha256` and recorded as the referral's reply, whose id
-- is the document's (so a second pull records nothing twice). `kind` is
-- the domain's code.
CREATE TABLE hospital_documents (
    id              TEXT PRIMARY KEY,
    referral_id     TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('reply', 'discharge_summary')),
    name            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    uploaded_at     TEXT NOT NULL,
    fetch_failures  INTEGER NOT NULL DEFAULT 0,
    recorded        INTEGER NOT NULL DEFAULT 0 CHECK (recorded IN (0, 1))
);
CREATE INDEX hospital_documents_waiting ON hospital_documents (fetch_failures, id)
    WHERE recorded = 0;

-- The outbox gains a corrected referral letter (`letter_revised`: the new
-- letter's id as `record_id`; what it says is read from it when pushed).
-- SQLite cannot change a CHECK, so the table is built again with the same
-- rows, numbers and ids (as migrations 0018 and 0021 did).
CREATE TEMPORARY TABLE outbox_sequence AS
    SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox';
CREATE TABLE sync_outbox_new (
    op_seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN
                  ('patient_shared', 'consent_recorded', 'referral_opened', 'event_appended',
                   'team', 'discharge_answer', 'intake', 'letter_revised')),
    record_id   TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'refused')),
    refusal     TEXT,
    queued_at   TEXT NOT NULL,
    settled_at  TEXT,
    op_id       TEXT,
    payload     TEXT CHECK ((kind IN ('team', 'discharge_answer', 'intake')) = (payload IS NOT NULL))
);
INSERT INTO sync_outbox_new (op_seq, kind, record_id, patient_id, state, refusal, queued_at,
                             settled_at, op_id, payload)
    SELECT op_seq, kind, record_id, patient_id, state, refusal, queued_at, settled_at, op_id,
           payload
    FROM sync_outbox;
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_new RENAME TO sync_outbox;
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM outbox_sequence), 0))
    WHERE name = 'sync_outbox';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'sync_outbox', seq FROM outbox_sequence
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sync_outbox');
DROP TABLE outbox_sequence;
CREATE INDEX sync_outbox_pending ON sync_outbox (op_seq) WHERE state = 'pending';
CREATE INDEX sync_outbox_by_patient ON sync_outbox (patient_id, kind);
CREATE UNIQUE INDEX sync_outbox_once ON sync_outbox (kind, record_id)
    WHERE kind IN ('referral_opened', 'event_appended');
CREATE INDEX sync_outbox_answers ON sync_outbox (record_id, op_seq)
    WHERE kind = 'discharge_answer';
CREATE INDEX sync_outbox_team_records ON sync_outbox (record_id, op_seq) WHERE kind = 'team';
-- A request's operations, newest last: whether the latest still waits, or
-- was refused.
CREATE INDEX sync_outbox_intake ON sync_outbox (record_id, op_seq) WHERE kind = 'intake';
CREATE TRIGGER sync_outbox_op_id AFTER INSERT ON sync_outbox
WHEN NEW.op_id IS NULL
BEGIN
    UPDATE sync_outbox SET op_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
    WHERE op_seq = NEW.op_seq;
END;
