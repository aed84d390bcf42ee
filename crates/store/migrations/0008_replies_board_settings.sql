-- What each episode's events (and replies) add up to, for the board, the
-- worklist and the loop figures. It is a cache, never a truth of its own:
-- it is rewritten from the events by the domain's status machine in the
-- same transaction as every append (referral_summary.rs), and rebuilt at
-- open when REFERRAL_SUMMARY_VERSION changes.
CREATE TABLE referral_summaries (
    referral_id         TEXT PRIMARY KEY REFERENCES referrals (id),
    patient_id          TEXT NOT NULL REFERENCES patients (id),
    tracking_code       TEXT NOT NULL,
    status              TEXT NOT NULL,
    is_open             INTEGER NOT NULL,
    referred_to         TEXT NOT NULL,  -- the hospital the letter went to
    hospital            TEXT NOT NULL,  -- where the patient is (or was last)
    where_now           TEXT NOT NULL,
    sent_on             TEXT NOT NULL,
    last_news           TEXT NOT NULL,
    acknowledged_on     TEXT,
    seen_on             TEXT,
    expected_discharge  TEXT,
    discharged_to       TEXT,           -- the destination's kind
    outcome             TEXT NOT NULL,
    first_reply_on      TEXT,
    replies             INTEGER NOT NULL
);
CREATE INDEX referral_summaries_board ON referral_summaries (is_open, last_news);
CREATE INDEX referral_summaries_by_sent ON referral_summaries (sent_on);
CREATE INDEX referral_summaries_by_hospital ON referral_summaries (referred_to);

-- The board shows each referral's patient name and finds referrals by
-- name or reading: this index answers both without reading patient rows.
CREATE INDEX patients_names_by_id ON patients (id, name, name_search, kana_search);

CREATE TABLE referral_summary_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO referral_summary_version (id, version) VALUES (1, 0);

-- Reply letters (返書) as the clinic recorded them, with the scan. Like
-- events, they are never changed.
CREATE TABLE referral_replies (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    referral_id        TEXT NOT NULL REFERENCES referrals (id),
    received_on        TEXT NOT NULL,
    findings           TEXT NOT NULL,   -- the domain's ReplyFindings JSON
    attachment         BLOB,
    attachment_type    TEXT,
    attachment_name    TEXT,
    attachment_sha256  TEXT,
    recorded_by        TEXT NOT NULL,
    recorded_at        TEXT NOT NULL,
    CHECK ((attachment IS NULL) = (attachment_type IS NULL))
);
CREATE INDEX referral_replies_by_referral ON referral_replies (referral_id, seq);
CREATE TRIGGER referral_replies_no_update BEFORE UPDATE ON referral_replies
BEGIN
    SELECT RAISE(ABORT, 'replies are immutable');
END;
CREATE TRIGGER referral_replies_no_delete BEFORE DELETE ON referral_replies
BEGIN
    SELECT RAISE(ABORT, 'replies are immutable');
END;

-- The clinic's settings (worklist thresholds, …), one JSON value per key.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- Worklist items already announced by a desktop notification.
CREATE TABLE notified_items (
    item_key     TEXT PRIMARY KEY,
    notified_at  TEXT NOT NULL
);
