-- Documents a hospital sends the family doctor through the portal (返書,
-- 退院時サマリー; issue 19, ADR 0041): PDFs checked by content, kept per
-- referral, fed to the clinic that owns the referral. `kind` is the
-- domain's code (`HospitalDocumentKind`), never a label.
CREATE TABLE referral_documents (
    id               uuid PRIMARY KEY,
    referral_id      uuid NOT NULL REFERENCES referrals (id),
    kind             text NOT NULL CHECK (kind IN ('reply', 'discharge_summary')),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    media_type       text NOT NULL CHECK (media_type = 'application/pdf'),
    size             bigint NOT NULL CHECK (size BETWEEN 1 AND 20971520),
    sha256           text NOT NULL,
    bytes            bytea NOT NULL,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    uploaded_by      uuid NOT NULL REFERENCES users (id),
    actor            text NOT NULL,
    uploaded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_documents_by_referral ON referral_documents (referral_id, uploaded_at);

-- Every version of a referral letter's summary the clinic sent: the first
-- stays in `referrals.letter`, each correction is a row here, and the
-- portal shows the latest.
CREATE TABLE referral_letter_versions (
    referral_id  uuid NOT NULL REFERENCES referrals (id),
    version      integer NOT NULL CHECK (version >= 2),
    letter       jsonb NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (referral_id, version)
);

-- What was sent stays as it was sent.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON referral_documents FROM tsunagu_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON referral_letter_versions FROM tsunagu_app;
    END IF;
END
$$;
