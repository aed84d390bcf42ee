-- Each gram's patients listed in reading order: `sort_key` packs the first
-- three characters of kana_search (21 bits each, code point order = the
-- BINARY order of kana_search), so the first 100 patients with a very
-- common gram are an index range, not a sort of thousands.
CREATE TABLE patient_grams_ordered (
    gram       TEXT NOT NULL,
    sort_key   INTEGER NOT NULL,
    patient_pk INTEGER NOT NULL,
    PRIMARY KEY (gram, sort_key, patient_pk)
) WITHOUT ROWID;

INSERT INTO patient_grams_ordered (gram, sort_key, patient_pk)
SELECT g.gram,
       (ifnull(unicode(substr(p.kana_search, 1, 1)), 0) << 42)
     | (ifnull(unicode(substr(p.kana_search, 2, 1)), 0) << 21)
     |  ifnull(unicode(substr(p.kana_search, 3, 1)), 0),
       g.patient_pk
FROM patient_grams g JOIN patients p ON p.pk = g.patient_pk;

DROP TABLE patient_grams;
ALTER TABLE patient_grams_ordered RENAME TO patient_grams;
