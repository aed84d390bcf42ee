-- Chart-number and birth-date searches count and list active patients from
-- the index alone, without reading each row to check deleted_at.
DROP INDEX patients_birth_date;
CREATE INDEX patients_active_by_birth_date ON patients (birth_date) WHERE deleted_at IS NULL;
CREATE INDEX patients_active_by_chart_number ON patients (chart_number)
    WHERE deleted_at IS NULL AND chart_number IS NOT NULL;
