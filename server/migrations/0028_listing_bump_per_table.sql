-- The directory import writes tens of thousands of organisations in one
-- transaction. Taking a version per row (and another per profile row)
-- updated the one counter row 60,000 times in that transaction, each
-- update walking the versions of the row it had already made: a
-- prefecture's file took about a minute, near the statement timeout. A
-- writer may now take a block of versions at once and set them itself:
-- an inserted row that comes with a version keeps it, an update that sets
-- one keeps it, and a profile written by the import (`updated_by`
-- 'import:…') leaves the versioning to the import, which versions the
-- organisation in the same transaction.
CREATE OR REPLACE FUNCTION organisations_directory_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.directory_version = 0 THEN
            NEW.directory_version := next_directory_version();
        END IF;
    ELSIF NEW.directory_version IS DISTINCT FROM OLD.directory_version THEN
        NULL;
    ELSIF (NEW.name, NEW.name_kana, NEW.kind, NEW.phone, NEW.fax, NEW.stopped_at IS NULL)
        IS DISTINCT FROM (OLD.name, OLD.name_kana, OLD.kind, OLD.phone, OLD.fax,
            OLD.stopped_at IS NULL) THEN
        NEW.directory_version := next_directory_version();
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION listing_part_directory_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'hospital_beds' THEN
        UPDATE organisations SET directory_version = next_directory_version()
            WHERE id = NEW.hospital_id;
    ELSIF NEW.updated_by NOT LIKE 'import:%' THEN
        UPDATE organisations SET directory_version = next_directory_version()
            WHERE id = NEW.organisation_id;
    END IF;
    RETURN NEW;
END $$;
