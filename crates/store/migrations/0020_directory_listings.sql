-- Issue 18, the regional directory on the desktop: the listing of each
-- organisation, pulled from /v1/directory (protocol 9), kept on the same
-- row the feed's `DirectoryListed` writes (the feed touches only name,
-- kind, phone, FAX and stopped; the listing writes the row whole).
-- Lists are JSON arrays of the domain's codes: `municipalities` of names,
-- `offers` of `Offer` codes, `confirmed` of [part, at], `beds` of
-- [ward type, capacity, available, updated at].
ALTER TABLE team_directory ADD COLUMN name_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE team_directory ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE team_directory ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE team_directory ADD COLUMN municipalities TEXT NOT NULL DEFAULT '[]';
ALTER TABLE team_directory ADD COLUMN area_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE team_directory ADD COLUMN radius_km INTEGER;
ALTER TABLE team_directory ADD COLUMN offers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE team_directory ADD COLUMN accepting TEXT;
ALTER TABLE team_directory ADD COLUMN care_managers INTEGER;
ALTER TABLE team_directory ADD COLUMN confirmed TEXT NOT NULL DEFAULT '[]';
ALTER TABLE team_directory ADD COLUMN beds TEXT NOT NULL DEFAULT '[]';
ALTER TABLE team_directory ADD COLUMN directory_version INTEGER NOT NULL DEFAULT 0;

-- `through`: the directory version held (the next request's `since`).
CREATE TABLE directory_state (
    only_one    INTEGER PRIMARY KEY CHECK (only_one = 1),
    through     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO directory_state (only_one) VALUES (1);
