-- Issue 18: the region the directory serves, as the desk lists its
-- 市区町村 (the domain's `Region`). A profile's area must lie inside it;
-- an empty list takes any 市区町村 (a region not yet set up).
CREATE TABLE region_municipalities (
    name      text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 20),
    position  smallint NOT NULL
);
