-- The worklist and the board read a page out of thousands of summaries.
-- Each situation of the worklist is a range of one of these indexes (in
-- the order of the day it began), so a page reads a hundred entries and a
-- count reads index entries only; the board's text search finds its rows
-- through the patients and hospitals it matched.
CREATE INDEX referral_summaries_by_status_sent ON referral_summaries (status, sent_on);
CREATE INDEX referral_summaries_by_status_expected
    ON referral_summaries (status, expected_discharge);
CREATE INDEX referral_summaries_by_status_news
    ON referral_summaries (status, last_news, discharged_to);
-- (status and the dates beside seen_on: the reply's count reads no row)
CREATE INDEX referral_summaries_awaiting_reply
    ON referral_summaries (seen_on, status, expected_discharge, sent_on)
    WHERE is_open AND status <> 'deceased' AND replies = 0;
CREATE INDEX referral_summaries_by_patient ON referral_summaries (patient_id);
CREATE INDEX referral_summaries_by_current_hospital ON referral_summaries (hospital);
