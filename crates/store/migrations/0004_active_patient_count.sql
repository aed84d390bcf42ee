-- The patient list shows how many active patients there are; counting
-- 100,000 index entries on every keystroke costs ~5 ms, so keep the number.
CREATE TABLE patient_stats (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    active INTEGER NOT NULL
);
INSERT INTO patient_stats (id, active)
VALUES (1, (SELECT count(*) FROM patients WHERE deleted_at IS NULL));

CREATE TRIGGER patient_stats_insert AFTER INSERT ON patients
WHEN NEW.deleted_at IS NULL
BEGIN
    UPDATE patient_stats SET active = active + 1 WHERE id = 1;
END;

CREATE TRIGGER patient_stats_delete AFTER DELETE ON patients
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE patient_stats SET active = active - 1 WHERE id = 1;
END;

CREATE TRIGGER patient_stats_soft_delete AFTER UPDATE OF deleted_at ON patients
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    UPDATE patient_stats
    SET active = active + (CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END)
    WHERE id = 1;
END;
