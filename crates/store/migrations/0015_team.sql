-- The home-care team (在宅チーム) and its timeline (issue 16, ADR 0020, 0023).

-- A consent may name the team, and says who gave it: the patient (no
-- family name) or a named family member with the relation. Existing
-- consents name no team, so no existing patient's team shares until a
-- consent naming it is recorded.
ALTER TABLE consents ADD COLUMN share_with_team INTEGER NOT NULL DEFAULT 0
    CHECK (share_with_team IN (0, 1));
ALTER TABLE consents ADD COLUMN family_name TEXT;
ALTER TABLE consents ADD COLUMN family_relation TEXT;

-- The outbox gains team operations. SQLite cannot change a CHECK, so the
-- table is built again with the same rows, numbers and ids. A team
-- operation's content is kept in `payload` (the operation's JSON): posts
-- are immutable, and an invitation or a read receipt is what it was when
-- it was made, so there is no record to read it from later.
CREATE TEMPORARY TABLE outbox_sequence AS
    SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox';
CREATE TABLE sync_outbox_new (
    op_seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN
                  ('patient_shared', 'consent_recorded', 'referral_opened', 'event_appended',
                   'team')),
    record_id   TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'refused')),
    refusal     TEXT,
    queued_at   TEXT NOT NULL,
    settled_at  TEXT,
    op_id       TEXT,
    payload     TEXT CHECK ((kind = 'team') = (payload IS NOT NULL))
);
INSERT INTO sync_outbox_new (op_seq, kind, record_id, patient_id, state, refusal, queued_at,
                             settled_at, op_id)
    SELECT op_seq, kind, record_id, patient_id, state, refusal, queued_at, settled_at, op_id
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
CREATE TRIGGER sync_outbox_op_id AFTER INSERT ON sync_outbox
WHEN NEW.op_id IS NULL
BEGIN
    UPDATE sync_outbox SET op_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
    WHERE op_seq = NEW.op_seq;
END;

-- Every organisation the clinic may invite, of every kind. Not
-- `regional_organisations`: its kinds are the three that enroll devices
-- (a CHECK that SQLite cannot widen, on a table referrals point to).
CREATE TABLE team_directory (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    fax         TEXT NOT NULL DEFAULT '',
    stopped     INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
    updated_at  TEXT NOT NULL
);
CREATE INDEX team_directory_by_kind ON team_directory (kind, name);

-- A patient's team. `confirmed`: the server's feed has it (a team started
-- offline is not, yet).
CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients (id),
    started_at  TEXT NOT NULL,
    confirmed   INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1))
);
CREATE INDEX teams_by_patient ON teams (patient_id);

-- Members as the server last said (or as this clinic wrote them, until it
-- does). Codes are the domain's; `first_contact_for` is a JSON array of
-- topic codes.
CREATE TABLE team_members (
    id                 TEXT PRIMARY KEY,
    team_id            TEXT NOT NULL REFERENCES teams (id),
    organisation_id    TEXT,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL,
    state              TEXT NOT NULL,
    person             TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    fax                TEXT NOT NULL DEFAULT '',
    relation           TEXT NOT NULL DEFAULT '',
    expires_at         TEXT,
    needs_approval     INTEGER NOT NULL DEFAULT 0 CHECK (needs_approval IN (0, 1)),
    access_until       TEXT,
    first_contact_for  TEXT NOT NULL DEFAULT '[]',
    invited_by         TEXT,
    updated_at         TEXT NOT NULL
);
CREATE INDEX team_members_by_team ON team_members (team_id);

-- The timeline. Entries are immutable once confirmed; `seq` is the
-- team's own counter, NULL while a post written here waits in the
-- outbox (`pending`). `withheld`: consent was withdrawn before it was
-- sent; `refused`: the server refused it.
CREATE TABLE team_entries (
    id                TEXT PRIMARY KEY,
    team_id           TEXT NOT NULL REFERENCES teams (id),
    seq               INTEGER,
    kind              TEXT NOT NULL,
    body              TEXT NOT NULL,
    author_member_id  TEXT,
    author            TEXT NOT NULL,
    reply_to          TEXT,
    strikes           TEXT,
    body_temperature  REAL,
    systolic          INTEGER,
    diastolic         INTEGER,
    pulse             INTEGER,
    spo2              INTEGER,
    respiratory_rate  INTEGER,
    weight            REAL,
    request_state     TEXT,
    posted_at         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'withheld', 'refused'))
);
CREATE INDEX team_entries_by_team ON team_entries (team_id, seq);
CREATE INDEX team_entries_open_requests ON team_entries (team_id)
    WHERE kind = 'request' AND request_state = 'open';

-- Files on the timeline, inside the encrypted store. `bytes` is NULL
-- until downloaded; `uploaded`: the server has them (a post naming them
-- is pushed only then).
CREATE TABLE team_attachments (
    id              TEXT PRIMARY KEY,
    entry_id        TEXT NOT NULL REFERENCES team_entries (id),
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    bytes           BLOB,
    uploaded        INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1)),
    fetch_failures  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX team_attachments_by_entry ON team_attachments (entry_id, position);
CREATE INDEX team_attachments_missing ON team_attachments (id) WHERE bytes IS NULL;

-- Receipts per member organisation and reader. `pending`: written here and
-- not yet echoed by the server, whose receipt replaces it.
CREATE TABLE team_receipts (
    entry_id         TEXT NOT NULL REFERENCES team_entries (id),
    member_id        TEXT NOT NULL,
    reader           TEXT NOT NULL,
    read_at          TEXT NOT NULL,
    acknowledged_at  TEXT,
    pending          INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
    PRIMARY KEY (entry_id, member_id, reader)
) WITHOUT ROWID;
CREATE INDEX team_receipts_by_member ON team_receipts (member_id, entry_id);

-- The team's history (招待, 参加, 退出…), as the server tells it; the same
-- line told twice (a page read again) is kept once.
CREATE TABLE team_history (
    team_id    TEXT NOT NULL REFERENCES teams (id),
    change     TEXT NOT NULL,
    member_id  TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    UNIQUE (team_id, change, member_id, at)
);
CREATE INDEX team_history_by_team ON team_history (team_id, at);
