-- Who takes part: clinics, hospitals and the regional desk.
CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('clinic', 'hospital', 'desk')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One-time codes the desk hands to a clinic to enroll a device. Only the
-- code's SHA-256 is kept; a code works once, until it expires.
CREATE TABLE enrollment_codes (
    code_sha256      text PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz,
    used_by_device   uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text NOT NULL
);

-- Enrolled devices (a clinic's PCs). The credential's secret is random and
-- long, so its SHA-256 is what is kept; revoking stops every request.
CREATE TABLE devices (
    id               uuid PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    name             text NOT NULL,
    secret_sha256    text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX devices_by_organisation ON devices (organisation_id);

-- Who read or changed what. Append-only: triggers refuse UPDATE and DELETE
-- whoever asks (the runtime role is further denied the privileges).
CREATE TABLE audit_log (
    seq          bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    entity_kind  text NOT NULL,
    entity_id    text NOT NULL
);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
