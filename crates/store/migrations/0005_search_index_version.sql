-- Search forms, grams and sort keys are computed in Rust (search.rs). When
-- that code changes, its SEARCH_INDEX_VERSION no longer matches this row and
-- the store rebuilds the index at open, in one transaction. Version 0 makes
-- existing stores rebuild once: the sort key grew from 3 to 9 characters.
CREATE TABLE search_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_index (id, version) VALUES (1, 0);
