-- The audit log made tamper-evident and searchable (issue 15, ADR 0015).

-- What a row records beyond who did what to which entity: the client's
-- address (when a request made it), the referrals a page or a pull showed
-- (one row per view, not one per referral), and details such as the terms
-- searched. `prev_hash` and `hash` chain every row to the one before.
ALTER TABLE audit_log
    ADD COLUMN address    text,
    ADD COLUMN shown      text[],
    ADD COLUMN detail     jsonb,
    ADD COLUMN prev_hash  bytea,
    ADD COLUMN hash       bytea;

-- The newest row's number and hash: each insert locks this row until its
-- transaction ends, so rows join the chain one transaction at a time and
-- a concurrent insert always links to the row committed before it.
CREATE TABLE audit_chain_head (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_seq   bigint NOT NULL,
    last_hash  bytea NOT NULL
);

-- A row's hash: SHA-256 of the previous row's hash and the row's content
-- as canonical JSON (jsonb's text is deterministic; times in UTC to the
-- microsecond). The one definition both inserting and verifying use.
CREATE FUNCTION audit_row_hash(prev bytea, r audit_log) RETURNS bytea
LANGUAGE sql STABLE AS $$
    SELECT sha256(prev || convert_to(jsonb_build_array(
        r.seq,
        to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        r.actor, r.action, r.entity_kind, r.entity_id,
        r.address, r.shown, r.detail)::text, 'UTF8'))
$$;

-- Every insert, whoever makes it: the number is taken under the head's
-- lock (so numbers follow the chain), then the row is linked. SECURITY
-- DEFINER: the runtime role may not touch the head itself.
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    prev bytea;
BEGIN
    SELECT last_hash INTO STRICT prev FROM audit_chain_head FOR UPDATE;
    NEW.seq := nextval(pg_get_serial_sequence('audit_log', 'seq'));
    NEW.prev_hash := prev;
    NEW.hash := audit_row_hash(prev, NEW);
    UPDATE audit_chain_head SET last_seq = NEW.seq, last_hash = NEW.hash;
    RETURN NEW;
END;
$$;

-- The rows written before this migration join the chain in their order.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
DO $$
DECLARE
    r audit_log;
    prev bytea := '\x'::bytea;
    last bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY seq LOOP
        UPDATE audit_log SET prev_hash = prev, hash = audit_row_hash(prev, r)
            WHERE seq = r.seq;
        prev := audit_row_hash(prev, r);
        last := r.seq;
    END LOOP;
    INSERT INTO audit_chain_head (last_seq, last_hash) VALUES (last, prev);
END
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
ALTER TABLE audit_log
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;

-- The trigger numbers each row; a default would waste a number per row.
ALTER TABLE audit_log ALTER COLUMN seq DROP DEFAULT;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- The administrator's searches: by time, by the referrals a row showed.
-- (By entity and by actor: 0007.)
CREATE INDEX audit_log_by_time ON audit_log (at);
-- Without a pending list: a search looks up hundreds of referrals at once,
-- and each look-up would scan the whole list of entries not yet merged.
CREATE INDEX audit_log_by_shown ON audit_log USING gin (shown) WITH (fastupdate = off);

-- Names searched by part (ILIKE '%…%'): trigram indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX patients_name_trgm ON patients USING gin (name gin_trgm_ops);
CREATE INDEX patients_kana_trgm ON patients USING gin (kana gin_trgm_ops);

-- The runtime role may read the chain's head (to verify it) but neither
-- change it nor remove or
-- rewrite the change feed (nothing it does needs to: housekeeping sweeps
-- attempt tables only).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE ALL ON audit_chain_head FROM tsunagu_app;
        GRANT SELECT ON audit_chain_head TO tsunagu_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON change_log FROM tsunagu_app;
    END IF;
END
$$;

-- A patient's identity (name, reading, birth date, sex) is kept only while
-- a consent in force covers the desk or hospitals; otherwise the row keeps
-- its id and clinic (what the consents, referrals and audit rows refer to)
-- and nothing that names the person. Identities held without consent
-- until now are removed here.
ALTER TABLE patients
    ALTER COLUMN name DROP NOT NULL,
    ALTER COLUMN kana DROP NOT NULL,
    ALTER COLUMN birth_date DROP NOT NULL,
    ALTER COLUMN sex DROP NOT NULL;
UPDATE patients p SET name = NULL, kana = NULL, birth_date = NULL, sex = NULL
    WHERE NOT EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = p.id
                      AND c.withdrawn_on IS NULL AND (c.desk OR c.destination_hospital));
ALTER TABLE patients ADD CONSTRAINT patients_identity_whole CHECK (
    (name IS NULL) = (kana IS NULL) AND (name IS NULL) = (birth_date IS NULL)
    AND (name IS NULL) = (sex IS NULL));
