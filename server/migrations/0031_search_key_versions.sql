-- Which folding each set of stored search keys was written with: the
-- server writes them again when the domain's version is newer (the
-- folding tables live in Rust). Patients' look-up keys (migration 0018)
-- were written with version 1.
CREATE TABLE search_key_versions (
    keys     text PRIMARY KEY,
    version  integer NOT NULL
);
INSERT INTO search_key_versions (keys, version) VALUES ('patients', 1);
