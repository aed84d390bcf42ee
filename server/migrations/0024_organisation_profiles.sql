-- Issue 18, the regional directory: each organisation's own profile. The
-- rules (what each kind may tick, the checks, staleness) are the domain's
-- `directory`; phone and FAX stay on `organisations`.
CREATE TABLE organisation_profiles (
    organisation_id  uuid PRIMARY KEY REFERENCES organisations (id),
    address          text NOT NULL DEFAULT '' CHECK (length(address) <= 200),
    hours            text NOT NULL DEFAULT '' CHECK (length(hours) <= 200),
    municipalities   text[] NOT NULL DEFAULT '{}',
    area_detail      text NOT NULL DEFAULT '' CHECK (length(area_detail) <= 500),
    radius_km        smallint CHECK (radius_km BETWEEN 1 AND 50),
    offers           text[] NOT NULL DEFAULT '{}',
    accepting        text CHECK (accepting IN ('yes', 'ask', 'no')),
    care_managers    smallint CHECK (care_managers BETWEEN 0 AND 200),
    -- When each part (`ProfilePart` code) was last confirmed.
    confirmed        jsonb NOT NULL DEFAULT '{}',
    updated_by       text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_profiles_offers ON organisation_profiles USING gin (offers);
CREATE INDEX organisation_profiles_area ON organisation_profiles USING gin (municipalities);
