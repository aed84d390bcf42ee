-- What clinics share (with consent): the patient's identifying details, the
-- consent itself, referrals and their events. Clinics' other records never
-- leave the clinic.
CREATE TABLE patients (
    id          uuid PRIMARY KEY,
    clinic_id   uuid NOT NULL REFERENCES organisations (id),
    name        text NOT NULL,
    kana        text NOT NULL,
    birth_date  date NOT NULL,
    sex         text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consents (
    id                    uuid PRIMARY KEY,
    patient_id            uuid NOT NULL REFERENCES patients (id),
    clinic_id             uuid NOT NULL REFERENCES organisations (id),
    obtained_on           date NOT NULL,
    obtained_by           text NOT NULL,
    desk                  boolean NOT NULL,
    destination_hospital  boolean NOT NULL,
    withdrawn_on          date,
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_by_patient ON consents (patient_id);

CREATE TABLE referrals (
    id             uuid PRIMARY KEY,
    clinic_id      uuid NOT NULL REFERENCES organisations (id),
    patient_id     uuid NOT NULL REFERENCES patients (id),
    tracking_code  text NOT NULL UNIQUE,
    -- The registered hospital it is addressed to (or assigned by the desk).
    hospital_id    uuid REFERENCES organisations (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referrals_by_clinic ON referrals (clinic_id);
CREATE INDEX referrals_by_hospital ON referrals (hospital_id);

-- Append-only, like the clinic's own: `details` is the wire's event JSON.
CREATE TABLE referral_events (
    seq              bigserial PRIMARY KEY,
    id               uuid NOT NULL UNIQUE,
    referral_id      uuid NOT NULL REFERENCES referrals (id),
    details          jsonb,
    voids            uuid,
    note             text NOT NULL DEFAULT '',
    source           text NOT NULL CHECK (source IN ('clinic', 'desk', 'liaison')),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    actor            text NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((details IS NULL) <> (voids IS NULL))
);
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, seq);

CREATE FUNCTION referral_events_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'referral events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referral_events_no_change BEFORE UPDATE OR DELETE ON referral_events
    FOR EACH ROW EXECUTE FUNCTION referral_events_are_append_only();

-- The change feed, per scope (an organisation, or the desk). `seq` is
-- gapless in commit order: it comes from the scope's counter row, which
-- each writing transaction locks until it commits.
CREATE TABLE scope_counters (
    scope  text PRIMARY KEY,
    last   bigint NOT NULL DEFAULT 0
);
CREATE TABLE change_log (
    scope        text NOT NULL,
    seq          bigint NOT NULL,
    referral_id  uuid,
    body         jsonb NOT NULL,
    PRIMARY KEY (scope, seq)
);

-- Each device's pushed operations, applied once: a repeated push gets the
-- stored result back.
CREATE TABLE applied_ops (
    device_id   uuid NOT NULL REFERENCES devices (id),
    op_seq      bigint NOT NULL,
    result      jsonb NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, op_seq)
);
