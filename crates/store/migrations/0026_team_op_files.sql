-- Issue 19 (ADR 0042): a file a team operation other than a post names —
-- the emergency sheet's PDF sent with the pinned 医療・介護連携サマリー.
-- Uploaded before its operation is pushed, like a post's files
-- (`team_attachments`, which belong to an entry); `record_id` is the
-- outbox row's record.
CREATE TABLE team_op_files (
    id          TEXT PRIMARY KEY,
    record_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    uploaded    INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1))
);
CREATE INDEX team_op_files_by_record ON team_op_files (record_id);
