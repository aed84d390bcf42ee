-- Issue 18, 空床: each hospital's beds per ward type (the domain's
-- `WardType` codes) and how many are free, with when it was said.
CREATE TABLE hospital_beds (
    hospital_id  uuid NOT NULL REFERENCES organisations (id),
    ward_type    text NOT NULL CHECK (ward_type IN ('general', 'community_care',
                     'rehabilitation', 'palliative', 'long_term', 'respite')),
    capacity     smallint NOT NULL CHECK (capacity BETWEEN 0 AND 2000),
    available    smallint NOT NULL CHECK (available >= 0 AND available <= capacity),
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hospital_id, ward_type)
);
