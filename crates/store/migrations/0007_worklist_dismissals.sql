-- Worklist items the physician has dealt with, and why. An item is keyed by
-- what raised it (kind + referral + the event or date it is about), so the
-- same situation does not come back, while a new one does.
CREATE TABLE worklist_dismissals (
    item_key      TEXT PRIMARY KEY,
    referral_id   TEXT NOT NULL REFERENCES referrals (id),
    reason        TEXT NOT NULL,
    dismissed_by  TEXT NOT NULL,
    dismissed_at  TEXT NOT NULL
);
