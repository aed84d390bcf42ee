-- 訪問看護指示書 not to be renewed (issue 19): the doctor's decision that a
-- regular order ends with its period — the patient was admitted, moved to
-- another clinic or died, or the nursing is no longer needed — with the
-- reason, signed. It stops the renewal reminder. Never changed or removed
-- (a new order to the station is how nursing starts again).
CREATE TABLE nursing_order_endings (
    order_id          TEXT PRIMARY KEY REFERENCES nursing_orders (id),
    reason            TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by        TEXT NOT NULL,
    decided_by_name   TEXT NOT NULL,
    decided_at        TEXT NOT NULL
);

CREATE TRIGGER nursing_order_endings_are_not_changed BEFORE UPDATE ON nursing_order_endings
BEGIN
    SELECT RAISE(ABORT, 'nursing order endings are immutable');
END;

CREATE TRIGGER nursing_order_endings_are_not_removed BEFORE DELETE ON nursing_order_endings
BEGIN
    SELECT RAISE(ABORT, 'nursing order endings are immutable');
END;
