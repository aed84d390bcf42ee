-- Issue 18, 受入相談: an organisation found in the directory is asked
-- whether it can take a patient on. The rules (states, answers, what a
-- request carries) are the domain's `intake`; no patient's identity is
-- kept: age, sex, area, needs and an anonymous summary.
CREATE TABLE intake_requests (
    id             uuid PRIMARY KEY,
    from_org       uuid NOT NULL REFERENCES organisations (id),
    to_org         uuid NOT NULL REFERENCES organisations (id),
    CHECK (from_org <> to_org),
    age            smallint CHECK (age BETWEEN 0 AND 120),
    sex            text CHECK (sex IN ('male', 'female', 'other')),
    municipality   text NOT NULL DEFAULT '' CHECK (length(municipality) <= 20),
    needs          text[] NOT NULL DEFAULT '{}',
    start_on       date,
    summary        text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
    state          text NOT NULL DEFAULT 'open'
                       CHECK (state IN ('open', 'accepted', 'declined', 'consult', 'withdrawn')),
    -- Who asked, as shown (みどり診療所 医師 佐藤), with how to reach them,
    -- and the account or device in the audit log's terms.
    sent_by        text NOT NULL,
    sent_by_actor  text NOT NULL,
    sent_at        timestamptz NOT NULL DEFAULT now(),
    answer_text    text NOT NULL DEFAULT '' CHECK (length(answer_text) <= 500),
    answered_by    text NOT NULL DEFAULT '',
    -- When it was answered or withdrawn.
    closed_at      timestamptz
);
CREATE INDEX intake_requests_to ON intake_requests (to_org, sent_at DESC);
CREATE INDEX intake_requests_from ON intake_requests (from_org, sent_at DESC);
