-- The home-care team (在宅チーム) around one patient, its members, history
-- and timeline (issue 16, ADRs 0020 and 0023). The rules are the domain's;
-- these tables keep their states by the domain's codes.

-- How the team reaches a member organisation, and whether the desk has
-- stopped it (no new invitations; its staff keep nothing they did not
-- already have).
ALTER TABLE organisations ADD COLUMN phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 40);
ALTER TABLE organisations ADD COLUMN fax text NOT NULL DEFAULT '' CHECK (length(fax) <= 40);
ALTER TABLE organisations ADD COLUMN stopped_at timestamptz;

-- A consent may name the team, and say who gave it: the patient, or a
-- named family member on the patient's behalf.
ALTER TABLE consents ADD COLUMN team boolean NOT NULL DEFAULT false;
ALTER TABLE consents ADD COLUMN family_name text;
ALTER TABLE consents ADD COLUMN family_relation text;
ALTER TABLE consents ADD CONSTRAINT consents_family_named
    CHECK ((family_name IS NULL) = (family_relation IS NULL));

-- One team per patient, owned by the clinic that owns the patient.
-- `last_seq` numbers its timeline, gapless: the row is locked by the
-- transaction that posts, as the feed's counters are.
CREATE TABLE teams (
    id          uuid PRIMARY KEY,
    patient_id  uuid NOT NULL UNIQUE REFERENCES patients (id),
    clinic_id   uuid NOT NULL REFERENCES organisations (id),
    last_seq    bigint NOT NULL DEFAULT 0,
    started_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_by_clinic ON teams (clinic_id);

-- A member: an organisation (optionally a named person in it) or a family
-- contact, with its role and state (`MemberState` codes).
CREATE TABLE team_members (
    id               uuid PRIMARY KEY,
    team_id          uuid NOT NULL REFERENCES teams (id),
    organisation_id  uuid REFERENCES organisations (id),
    role             text NOT NULL,
    state            text NOT NULL CHECK (state IN ('invited', 'awaiting_approval', 'active',
                         'left', 'removed', 'declined', 'expired', 'cancelled')),
    person           text NOT NULL DEFAULT '' CHECK (length(person) <= 100),
    -- A family contact's own details (organisation_id IS NULL).
    family_name      text NOT NULL DEFAULT '' CHECK (length(family_name) <= 100),
    relation         text NOT NULL DEFAULT '' CHECK (length(relation) <= 50),
    phone            text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    expires_at       timestamptz,
    needs_approval   boolean NOT NULL DEFAULT false,
    access_until     timestamptz,
    first_contact_for text[] NOT NULL DEFAULT '{}',
    invited_by       uuid REFERENCES team_members (id),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((organisation_id IS NULL) = (role = 'family_contact'))
);
CREATE INDEX team_members_by_team ON team_members (team_id);
-- A member organisation's teams (its list, its pending invitations).
CREATE INDEX team_members_by_organisation ON team_members (organisation_id, state);
-- An organisation is on a team once while it is invited or a member.
CREATE UNIQUE INDEX team_members_once ON team_members (team_id, organisation_id)
    WHERE state IN ('invited', 'awaiting_approval', 'active');

-- What happened to the team's membership, in order, and who did it.
CREATE TABLE team_history (
    seq        bigserial PRIMARY KEY,
    team_id    uuid NOT NULL REFERENCES teams (id),
    member_id  uuid NOT NULL REFERENCES team_members (id),
    change     text NOT NULL,
    actor      text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_history_by_team ON team_history (team_id, seq);

-- The timeline. Entries are immutable: a correction is a new entry that
-- names the one it strikes, and both stay.
CREATE TABLE team_entries (
    id                uuid PRIMARY KEY,
    team_id           uuid NOT NULL REFERENCES teams (id),
    seq               bigint NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('note', 'visit_report', 'request',
                          'urgent', 'referral_event')),
    body              text NOT NULL CHECK (length(body) <= 4000),
    author_member     uuid REFERENCES team_members (id),
    -- Who, as shown: e.g. みどり訪問看護ステーション 看護師 田中.
    author            text NOT NULL,
    -- The portal account (`user:<id>`) or the device (`device:<id>`).
    author_actor      text NOT NULL,
    reply_to          uuid REFERENCES team_entries (id),
    strikes           uuid REFERENCES team_entries (id),
    referral_id       uuid REFERENCES referrals (id),
    body_temperature  double precision,
    systolic          smallint,
    diastolic         smallint,
    pulse             smallint,
    spo2              smallint,
    respiratory_rate  smallint,
    weight            double precision,
    posted_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, seq)
);
-- An entry is struck once.
CREATE UNIQUE INDEX team_entries_struck_once ON team_entries (strikes) WHERE strikes IS NOT NULL;
CREATE INDEX team_entries_replies ON team_entries (reply_to) WHERE reply_to IS NOT NULL;

-- A 相談・依頼's state (`RequestState` codes): the one thing about an entry
-- that changes, kept beside it so the entry itself never does.
CREATE TABLE team_requests (
    entry_id  uuid PRIMARY KEY REFERENCES team_entries (id),
    -- The entry's team, so a list of teams counts open requests by index.
    team_id   uuid NOT NULL REFERENCES teams (id),
    state     text NOT NULL CHECK (state IN ('open', 'answered', 'closed')),
    asker     uuid NOT NULL REFERENCES team_members (id),
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_requests_open ON team_requests (team_id) WHERE state = 'open';

-- Photos and PDFs, checked by content. Uploaded first (by a device, or in
-- the same request by the portal), then named by the entry that carries
-- them; only the organisation that uploaded one may attach it.
CREATE TABLE team_attachments (
    id               uuid PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    entry_id         uuid REFERENCES team_entries (id),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    media_type       text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size             bigint NOT NULL CHECK (size BETWEEN 1 AND 20971520),
    sha256           text NOT NULL,
    bytes            bytea NOT NULL,
    uploaded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_attachments_by_entry ON team_attachments (entry_id);

-- Who has read, and acknowledged, each entry: per member account (a portal
-- user or a clinic's staff member through its device).
CREATE TABLE team_receipts (
    entry_id         uuid NOT NULL REFERENCES team_entries (id),
    member_id        uuid NOT NULL REFERENCES team_members (id),
    reader           text NOT NULL,
    reader_label     text NOT NULL,
    read_at          timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    PRIMARY KEY (entry_id, reader)
);
CREATE INDEX team_receipts_by_member ON team_receipts (member_id);

-- How far each reader has read each team: unread counts come from
-- `teams.last_seq` minus this, without counting receipts.
CREATE TABLE team_read_marks (
    team_id   uuid NOT NULL REFERENCES teams (id),
    reader    text NOT NULL,
    read_seq  bigint NOT NULL,
    PRIMARY KEY (team_id, reader)
);

-- Entries, history and attachments' bytes stay as written: the runtime
-- role adds them and never changes or removes them (an attachment row is
-- linked to its entry once).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON team_entries, team_history FROM tsunagu_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON team_attachments FROM tsunagu_app;
        GRANT UPDATE (entry_id) ON team_attachments TO tsunagu_app;
    END IF;
END
$$;
