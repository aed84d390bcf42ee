-- The board counts and sorts thousands of summaries for one page, and the
-- worklist scans them all: both read only these columns. As a covering
-- index they are a narrow copy of the summaries, so neither reads the wide
-- rows (where_now, outcome, ...) except for the page they show.
CREATE INDEX referral_summaries_board_cover ON referral_summaries
    (is_open, status, sent_on, seen_on, expected_discharge, replies, last_news,
     discharged_to, referred_to, hospital, patient_id, referral_id);
