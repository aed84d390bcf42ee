-- Issue 17, 退院後の在宅医療の相談: the hospital holding an episode asks
-- the family doctor's clinic first. The rules (states, the reply-by day,
-- one open request per episode) are the domain's `discharge_request`;
-- this keeps them by its codes.
CREATE TABLE discharge_requests (
    id             uuid PRIMARY KEY,
    referral_id    uuid NOT NULL REFERENCES referrals (id),
    hospital_id    uuid NOT NULL REFERENCES organisations (id),
    clinic_id      uuid NOT NULL REFERENCES organisations (id),
    expected_date  date NOT NULL,
    reply_by       date NOT NULL CHECK (reply_by <= expected_date),
    needs          text[] NOT NULL DEFAULT '{}',
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    state          text NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'consult',
                       'cancelled', 'expired')),
    -- Who sent it, as shown (北病院 MSW・連携担当者 山本), and the account.
    sent_by        text NOT NULL,
    sent_by_actor  text NOT NULL,
    sent_at        timestamptz NOT NULL DEFAULT now(),
    answer_text    text NOT NULL DEFAULT '' CHECK (length(answer_text) <= 1000),
    answered_by    text NOT NULL DEFAULT '',
    -- When the answer, cancellation or expiry was recorded.
    closed_at      timestamptz
);
-- One request waits for its answer per episode at a time.
CREATE UNIQUE INDEX discharge_requests_one_open ON discharge_requests (referral_id)
    WHERE state = 'open';
CREATE INDEX discharge_requests_by_referral ON discharge_requests (referral_id, sent_at);
-- The sweep of requests past their day, and the figures.
CREATE INDEX discharge_requests_open_by_day ON discharge_requests (reply_by) WHERE state = 'open';
CREATE INDEX discharge_requests_by_clinic ON discharge_requests (clinic_id);
CREATE INDEX discharge_requests_by_hospital ON discharge_requests (hospital_id);
