-- Issue 18, the directory's search and its copy on each desktop.
--
-- `name_kana`: the reading, searched with the name. `search_key`: the
-- domain's `search_key` of the name and the reading (NFKC, hiragana,
-- 新字体), written by the server whenever the name or reading is (the
-- folding table lives in Rust, not here). `external_id`: the number an
-- import knows the organisation by (介護サービス情報公表システム's 事業所番号,
-- or the simple CSV's id), so a second import updates rather than adds.
ALTER TABLE organisations ADD COLUMN name_kana text NOT NULL DEFAULT ''
    CHECK (length(name_kana) <= 100);
ALTER TABLE organisations ADD COLUMN search_key text NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN external_id text UNIQUE
    CHECK (length(external_id) BETWEEN 1 AND 40);

-- Each change to what the directory lists of an organisation (its row,
-- profile or beds) takes the next directory version; a desktop pulls the
-- listings changed after the version it holds. The counter is one row
-- updated inside the writing transaction, so versions commit in order and
-- a device that has read up to N never misses a later-committed N-1.
CREATE TABLE directory_counter (
    only_one  boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    last      bigint NOT NULL
);
INSERT INTO directory_counter (last) VALUES (0);

ALTER TABLE organisations ADD COLUMN directory_version bigint NOT NULL DEFAULT 0;
UPDATE organisations SET directory_version = 1;
UPDATE directory_counter SET last = 1;
CREATE INDEX organisations_directory_version ON organisations (directory_version);

CREATE FUNCTION next_directory_version() RETURNS bigint LANGUAGE sql AS $$
    UPDATE directory_counter SET last = last + 1 RETURNING last
$$;

-- On the organisation's own row: only when something listed changed (a
-- session's sign-in touching nothing listed must not resend it).
CREATE FUNCTION organisations_directory_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.directory_version := next_directory_version();
    ELSIF (NEW.name, NEW.name_kana, NEW.kind, NEW.phone, NEW.fax, NEW.stopped_at IS NULL)
        IS DISTINCT FROM (OLD.name, OLD.name_kana, OLD.kind, OLD.phone, OLD.fax,
            OLD.stopped_at IS NULL) THEN
        NEW.directory_version := next_directory_version();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER organisations_directory_version BEFORE INSERT OR UPDATE ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisations_directory_bump();

-- On its profile and beds: the organisation's listing changed.
CREATE FUNCTION listing_part_directory_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    listed uuid;
BEGIN
    -- Each branch reads only its own table's column.
    IF TG_TABLE_NAME = 'hospital_beds' THEN
        listed := NEW.hospital_id;
    ELSE
        listed := NEW.organisation_id;
    END IF;
    UPDATE organisations SET directory_version = next_directory_version() WHERE id = listed;
    RETURN NEW;
END $$;
CREATE TRIGGER organisation_profiles_directory_version AFTER INSERT OR UPDATE
    ON organisation_profiles FOR EACH ROW EXECUTE FUNCTION listing_part_directory_bump();
CREATE TRIGGER hospital_beds_directory_version AFTER INSERT OR UPDATE
    ON hospital_beds FOR EACH ROW EXECUTE FUNCTION listing_part_directory_bump();
