-- 訪問看護指示書 and 特別訪問看護指示書 (issue 19, ADRs 0034 and 0036).
--
-- Orders being written: the form as typed (the domain's
-- `NursingOrderDraft` as JSON, valid or not), saved as the doctor types.
-- `station_member_id` is the team member (a visiting nurse station) the
-- order is addressed to; NULL when the station's name is typed (the
-- patient has no team, or no station on it yet). `renews` is the issued
-- order a renewal continues.
CREATE TABLE nursing_order_drafts (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES patients (id),
    kind               TEXT NOT NULL CHECK (kind IN ('regular', 'special')),
    content            TEXT NOT NULL CHECK (json_valid(content)),
    station_member_id  TEXT,
    renews             TEXT REFERENCES nursing_orders (id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX nursing_order_drafts_by_patient ON nursing_order_drafts (patient_id, updated_at);

-- Issued orders never change and are never removed (the triggers below):
-- a new order, or a renewal, is a new row. `draft` is the checked order
-- back in the form's shape (to renew it from); the period's days are
-- columns so the renewal reminder reads them without the JSON.
-- `station_key` names the addressee for "the latest order per patient and
-- station": `member:<organisation or member id>` for a team member,
-- `name:<name>` for a station typed by name.
CREATE TABLE nursing_orders (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES patients (id),
    kind               TEXT NOT NULL CHECK (kind IN ('regular', 'special')),
    station            TEXT NOT NULL,
    station_member_id  TEXT,
    station_key        TEXT NOT NULL,
    renews             TEXT REFERENCES nursing_orders (id),
    issued_on          TEXT NOT NULL,
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL CHECK (ends_on >= starts_on),
    draft              TEXT NOT NULL CHECK (json_valid(draft)),
    pdf                BLOB NOT NULL,
    sha256             TEXT NOT NULL,
    issued_at          TEXT NOT NULL,
    issued_by          TEXT NOT NULL
);
CREATE INDEX nursing_orders_by_patient ON nursing_orders (patient_id, issued_at);
CREATE INDEX nursing_orders_by_station ON nursing_orders (patient_id, station_key, ends_on);
CREATE INDEX nursing_orders_by_renews ON nursing_orders (renews);

CREATE TRIGGER nursing_orders_are_not_changed BEFORE UPDATE ON nursing_orders
BEGIN
    SELECT RAISE(ABORT, 'issued nursing orders are immutable');
END;

CREATE TRIGGER nursing_orders_are_not_removed BEFORE DELETE ON nursing_orders
BEGIN
    SELECT RAISE(ABORT, 'issued nursing orders are immutable');
END;
