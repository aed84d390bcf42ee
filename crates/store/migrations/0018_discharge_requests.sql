-- 退院後の在宅医療の相談 (issue 17): a hospital asks the family doctor,
-- before a discharge home, whether the clinic will take the patient on.

-- The request as the server's feed last said it (each change brings it
-- whole: a later one replaces the row). Codes are the domain's: `state` a
-- `RequestState`, `needs` a JSON array of `CareNeed` codes. The `local_*`
-- columns hold the answer given here while its operation waits in the
-- outbox (kind `discharge_answer`, `record_id` the request): the feed's
-- next word on the request clears them once the operation is no longer
-- waiting (the server applied or refused it; the feed says which).
CREATE TABLE discharge_requests (
    id             TEXT PRIMARY KEY,
    referral_id    TEXT NOT NULL,
    patient_id     TEXT NOT NULL REFERENCES patients (id),
    hospital       TEXT NOT NULL,
    sent_by        TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    expected_date  TEXT NOT NULL,
    reply_by       TEXT NOT NULL,
    needs          TEXT NOT NULL DEFAULT '[]'
                     CHECK (json_valid(needs) AND json_type(needs) = 'array'),
    note           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN
                     ('open', 'accepted', 'declined', 'consult', 'cancelled', 'expired')),
    answer_text    TEXT NOT NULL DEFAULT '',
    answered_by    TEXT NOT NULL DEFAULT '',
    answered_at    TEXT,
    local_answer   TEXT CHECK (local_answer IN ('accepted', 'declined', 'consult')),
    local_text     TEXT NOT NULL DEFAULT '',
    local_by       TEXT NOT NULL DEFAULT '',
    local_at       TEXT,
    updated_at     TEXT NOT NULL,
    CHECK ((local_answer IS NULL) = (local_at IS NULL))
);
CREATE INDEX discharge_requests_by_patient ON discharge_requests (patient_id, sent_at);
CREATE INDEX discharge_requests_by_referral ON discharge_requests (referral_id, sent_at);
CREATE INDEX discharge_requests_open ON discharge_requests (reply_by) WHERE state = 'open';

-- The outbox gains the doctor's answer, its JSON kept in `payload` like a
-- team operation's (it is what it was when given). SQLite cannot change a
-- CHECK, so the table is built again with the same rows, numbers and ids
-- (as migration 0015 did).
CREATE TEMPORARY TABLE outbox_sequence AS
    SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox';
CREATE TABLE sync_outbox_new (
    op_seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN
                  ('patient_shared', 'consent_recorded', 'referral_opened', 'event_appended',
                   'team', 'discharge_answer')),
    record_id   TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'refused')),
    refusal     TEXT,
    queued_at   TEXT NOT NULL,
    settled_at  TEXT,
    op_id       TEXT,
    payload     TEXT CHECK ((kind IN ('team', 'discharge_answer')) = (payload IS NOT NULL))
);
INSERT INTO sync_outbox_new (op_seq, kind, record_id, patient_id, state, refusal, queued_at,
                             settled_at, op_id, payload)
    SELECT op_seq, kind, record_id, patient_id, state, refusal, queued_at, settled_at, op_id,
           payload
    FROM sync_outbox;
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_new RENAME TO sync_outbox;
-- A number once used is never used again (the server remembers it), even
-- if its row is gone.
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
-- A request's answers, newest last: whether the latest still waits, or
-- was refused.
CREATE INDEX sync_outbox_answers ON sync_outbox (record_id, op_seq)
    WHERE kind = 'discharge_answer';
CREATE TRIGGER sync_outbox_op_id AFTER INSERT ON sync_outbox
WHEN NEW.op_id IS NULL
BEGIN
    UPDATE sync_outbox SET op_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
    WHERE op_seq = NEW.op_seq;
END;
