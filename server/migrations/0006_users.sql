-- People who sign in to the portal (issue 6): the desk's administrators and
-- staff, and hospitals' liaison officers. Clinics use the desktop app and
-- its device credentials, not these accounts. Passwords are Argon2id
-- (PHC strings); the first one is set by an administrator and must be
-- changed at the first sign-in.
CREATE TABLE users (
    id                     uuid PRIMARY KEY,
    organisation_id        uuid NOT NULL REFERENCES organisations (id),
    login                  text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9._-]{3,40}$'),
    display_name           text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    role                   text NOT NULL CHECK (role IN ('admin', 'desk', 'liaison')),
    password_hash          text NOT NULL,
    must_change_password   boolean NOT NULL DEFAULT true,
    totp_secret            text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    disabled_at            timestamptz
);
CREATE INDEX users_by_organisation ON users (organisation_id);
