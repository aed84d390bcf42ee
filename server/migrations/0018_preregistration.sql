-- Issue 17, 事前登録: a consent may pre-register the patient with the
-- region's hospitals (all participating ones, or those chosen), so that a
-- liaison finds the patient by identity when the patient arrives without
-- a letter. The look-up compares keys folded as the domain folds a
-- search (`preregistration::name_keys`), written with the identity and
-- cleared with it when no consent stands any more.
ALTER TABLE consents ADD COLUMN preregistration boolean NOT NULL DEFAULT false;
ALTER TABLE consents ADD COLUMN preregistered_with uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE patients ADD COLUMN name_key text;
ALTER TABLE patients ADD COLUMN kana_key text;
CREATE INDEX patients_by_birth_and_name ON patients (birth_date, name_key);
CREATE INDEX patients_by_birth_and_kana ON patients (birth_date, kana_key);
