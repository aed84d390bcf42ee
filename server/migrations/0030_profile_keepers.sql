-- Issue 18: an organisation's administrator may let a member of its staff
-- keep its directory profile (and its beds, for a hospital) as well.
ALTER TABLE users ADD COLUMN keeps_profile boolean NOT NULL DEFAULT false;
