-- 受入相談 (issue 18): requests this clinic sent to an organisation found
-- in the directory, and requests it was asked.

-- The request as the server's feed last said it (each change brings it
-- whole: a later one replaces the row), or as sent from here until the
-- feed first says it. Codes are the domain's: `state` an `IntakeState`,
-- `sex` a `Sex`, `needs` a JSON array of `Offer` codes, `to_kind` an
-- `OrganisationKind`. `patient_id` is the patient a request sent from
-- here was about: kept on this PC only (the request is anonymous), and
-- only on the install that sent it. The `local_*` columns hold the step
-- taken here (an answer, or the withdrawal) while its operation waits in
-- the outbox (kind `intake`, `record_id` the request): the feed's next
-- word on the request clears them once no operation about it waits.
CREATE TABLE intake_requests (
    id             TEXT PRIMARY KEY,
    from_org       TEXT NOT NULL,
    from_name      TEXT NOT NULL,
    from_phone     TEXT NOT NULL DEFAULT '',
    to_org         TEXT NOT NULL,
    to_name        TEXT NOT NULL,
    to_kind        TEXT NOT NULL,
    age            INTEGER CHECK (age BETWEEN 0 AND 120),
    sex            TEXT,
    municipality   TEXT NOT NULL DEFAULT '',
    needs          TEXT NOT NULL DEFAULT '[]'
                     CHECK (json_valid(needs) AND json_type(needs) = 'array'),
    start_on       TEXT,
    summary        TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN
                     ('open', 'accepted', 'declined', 'consult', 'withdrawn')),
    sent_by        TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    answer_text    TEXT NOT NULL DEFAULT '',
    answered_by    TEXT NOT NULL DEFAULT '',
    closed_at      TEXT,
    patient_id     TEXT REFERENCES patients (id),
    local_state    TEXT CHECK (local_state IN ('accepted', 'declined', 'consult', 'withdrawn')),
    local_text     TEXT NOT NULL DEFAULT '',
    local_by       TEXT NOT NULL DEFAULT '',
    local_at       TEXT,
    updated_at     TEXT NOT NULL,
    CHECK ((local_state IS NULL) = (local_at IS NULL))
);
CREATE INDEX intake_requests_by_time ON intake_requests (sent_at);
CREATE INDEX intake_requests_by_patient ON intake_requests (patient_id, sent_at)
    WHERE patient_id IS NOT NULL;

-- The outbox gains 受入相談's operations (`intake`: the wire's operation
-- as JSON in `payload`; `patient_id` the request's patient, or the nil
-- id when it was sent without one or was asked of this clinic). SQLite
-- cannot change a CHECK, so the table is built again with the same rows,
-- numbers and ids (as migration 0018 did).
CREATE TEMPORARY TABLE outbox_sequence AS
    SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox';
CREATE TABLE sync_outbox_new (
    op_seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN
                  ('patient_shared', 'consent_recorded', 'referral_opened', 'event_appended',
                   'team', 'discharge_answer', 'intake')),
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
