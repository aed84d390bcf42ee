-- Migration 0026's `listing_part_directory_bump` named `NEW.hospital_id`
-- and `NEW.organisation_id` in one CASE: PL/pgSQL resolves both fields
-- whichever branch runs, so every write to a profile or to beds failed
-- ("record "new" has no field ..."). Each table's field is now read only
-- in its own branch. (Numbered 0028: 0027 is taken by the intake requests
-- being written on main.)
CREATE OR REPLACE FUNCTION listing_part_directory_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'hospital_beds' THEN
        UPDATE organisations SET directory_version = next_directory_version()
            WHERE id = NEW.hospital_id;
    ELSE
        UPDATE organisations SET directory_version = next_directory_version()
            WHERE id = NEW.organisation_id;
    END IF;
    RETURN NEW;
END $$;
