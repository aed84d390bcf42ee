//! The team's records in the store's terms, and how they cross into SQL:
//! codes are read back with the domain's `from_code` (an unknown one is
//! `Corrupt`), vital signs are columns.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::team::{
    EntryKind, FirstContactTopic, MemberState, OrganisationKind, RequestState, TeamMember,
    TeamRole, Vitals,
};
use uuid::Uuid;

use crate::batch::insert_rows;
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRecord {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub started_at: DateTime<Utc>,
    /// The server's feed has it.
    pub confirmed: bool,
}

/// A member: an organisation (optionally a named person in it) or a
/// family contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub id: Uuid,
    pub team_id: Uuid,
    /// `None` for a family contact.
    pub organisation_id: Option<Uuid>,
    /// The organisation's name, or the family member's.
    pub name: String,
    /// `None` for a family contact.
    pub kind: Option<OrganisationKind>,
    pub role: TeamRole,
    /// As stored; [`TeamMember::state_at`] says what it is now.
    pub state: MemberState,
    pub person: String,
    pub phone: String,
    pub fax: String,
    pub relation: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub needs_approval: bool,
    pub access_until: Option<DateTime<Utc>>,
    pub first_contact_for: Vec<FirstContactTopic>,
    pub invited_by: Option<Uuid>,
}

impl MemberRecord {
    /// The member as the domain's rules read it.
    pub fn as_member(&self) -> TeamMember {
        TeamMember {
            id: self.id.to_string(),
            role: self.role,
            state: self.state,
            expires_at: self.expires_at,
            needs_approval: self.needs_approval,
            access_until: self.access_until,
            // Whom a ward member's access is for is the server's to check.
            personal: false,
            first_contact_for: self.first_contact_for.clone(),
        }
    }
}

/// Where a post stands on this install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum EntryState {
    /// Written here, waiting in the outbox (未送信).
    Pending,
    /// In the server's feed.
    Confirmed,
    /// Consent was withdrawn before it was sent: kept here only.
    Withheld,
    /// The server refused it (shown as a conflict).
    Refused,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntryRecord {
    pub id: Uuid,
    pub team_id: Uuid,
    /// The team's counter; `None` while pending.
    pub seq: Option<i64>,
    pub kind: EntryKind,
    pub body: String,
    pub author_member: Option<Uuid>,
    pub author: String,
    pub reply_to: Option<Uuid>,
    pub strikes: Option<Uuid>,
    pub vitals: Option<Vitals>,
    pub request_state: Option<RequestState>,
    pub posted_at: DateTime<Utc>,
    pub state: EntryState,
    pub attachments: Vec<AttachmentMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    /// The bytes are here (fetched, or written here).
    pub held: bool,
    pub uploaded: bool,
}

/// A file attached to a post written here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub id: Uuid,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    pub entry_id: Uuid,
    pub member_id: Uuid,
    pub reader: String,
    pub read_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Written here, not yet echoed by the server.
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    /// The domain's `TeamChange` code (kept as told: a newer server may
    /// say more than this install knows).
    pub change: String,
    pub member_id: Uuid,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// An organisation the clinic may invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    pub phone: String,
    pub fax: String,
    pub stopped: bool,
}

pub(super) fn directory_entry(
    (id, name, kind, phone, fax, stopped): (Id, String, String, String, String, bool),
) -> StoreResult<DirectoryEntry> {
    Ok(DirectoryEntry {
        id: id.0,
        name,
        kind: OrganisationKind::from_code(&kind).ok_or(StoreError::Corrupt("organisation kind"))?,
        phone,
        fax,
        stopped,
    })
}

pub(super) const MEMBER_COLUMNS: &str = "id, team_id, organisation_id, name, kind, role, state, \
     person, phone, fax, relation, expires_at, needs_approval, access_until, first_contact_for, \
     invited_by";

#[derive(sqlx::FromRow)]
pub(super) struct MemberRow {
    id: Id,
    team_id: Id,
    organisation_id: Option<Id>,
    name: String,
    kind: String,
    role: String,
    state: String,
    person: String,
    phone: String,
    fax: String,
    relation: String,
    expires_at: Option<DateTime<Utc>>,
    needs_approval: bool,
    access_until: Option<DateTime<Utc>>,
    first_contact_for: String,
    invited_by: Option<Id>,
}

impl MemberRow {
    pub(super) fn into_record(self) -> StoreResult<MemberRecord> {
        let topics: Vec<String> = serde_json::from_str(&self.first_contact_for)
            .map_err(|_| StoreError::Corrupt("first contacts"))?;
        Ok(MemberRecord {
            id: self.id.0,
            team_id: self.team_id.0,
            organisation_id: self.organisation_id.map(Uuid::from),
            name: self.name,
            kind: match self.kind.as_str() {
                "" => None,
                code => Some(
                    OrganisationKind::from_code(code)
                        .ok_or(StoreError::Corrupt("organisation kind"))?,
                ),
            },
            role: TeamRole::from_code(&self.role).ok_or(StoreError::Corrupt("team role"))?,
            state: MemberState::from_code(&self.state)
                .ok_or(StoreError::Corrupt("member state"))?,
            person: self.person,
            phone: self.phone,
            fax: self.fax,
            relation: self.relation,
            expires_at: self.expires_at,
            needs_approval: self.needs_approval,
            access_until: self.access_until,
            first_contact_for: topics
                .iter()
                .map(|t| FirstContactTopic::from_code(t).ok_or(StoreError::Corrupt("topic")))
                .collect::<StoreResult<_>>()?,
            invited_by: self.invited_by.map(Uuid::from),
        })
    }
}

pub(super) async fn upsert_member(
    conn: &mut SqliteConnection,
    m: &MemberRecord,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    upsert_members(conn, &[m], now).await
}

/// Members as the feed or this clinic says they are now, many rows a
/// statement (a first sync brings every team's members). A member keeps
/// its team: a row naming another team changes nothing.
pub(super) async fn upsert_members(
    conn: &mut SqliteConnection,
    members: &[&MemberRecord],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let topics = members
        .iter()
        .map(|m| {
            let codes: Vec<&str> = m.first_contact_for.iter().map(|t| t.code()).collect();
            serde_json::to_string(&codes).map_err(|_| StoreError::Corrupt("topics"))
        })
        .collect::<StoreResult<Vec<String>>>()?;
    let rows: Vec<(&MemberRecord, String)> = members.iter().copied().zip(topics).collect();
    insert_rows(
        conn,
        "INSERT INTO team_members (id, team_id, organisation_id, name, kind, role, state, person,
             phone, fax, relation, expires_at, needs_approval, access_until, first_contact_for,
             invited_by, updated_at) ",
        &rows,
        " ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id,
             name = excluded.name, kind = excluded.kind, role = excluded.role,
             state = excluded.state, person = excluded.person, phone = excluded.phone,
             fax = excluded.fax, relation = excluded.relation, expires_at = excluded.expires_at,
             needs_approval = excluded.needs_approval, access_until = excluded.access_until,
             first_contact_for = excluded.first_contact_for, invited_by = excluded.invited_by,
             updated_at = excluded.updated_at
         WHERE team_members.team_id = excluded.team_id",
        |mut row, (m, topics)| {
            row.push_bind(Id(m.id))
                .push_bind(Id(m.team_id))
                .push_bind(m.organisation_id.map(Id))
                .push_bind(m.name.clone())
                .push_bind(m.kind.map_or("", |k| k.code()))
                .push_bind(m.role.code())
                .push_bind(m.state.code())
                .push_bind(m.person.clone())
                .push_bind(m.phone.clone())
                .push_bind(m.fax.clone())
                .push_bind(m.relation.clone())
                .push_bind(m.expires_at)
                .push_bind(m.needs_approval)
                .push_bind(m.access_until)
                .push_bind(topics.clone())
                .push_bind(m.invited_by.map(Id))
                .push_bind(now);
        },
    )
    .await
}

pub(super) const ENTRY_COLUMNS: &str = "id, team_id, seq, kind, body, author_member_id, author, \
     reply_to, strikes, body_temperature, systolic, diastolic, pulse, spo2, respiratory_rate, \
     weight, request_state, posted_at, state";

#[derive(sqlx::FromRow)]
pub(super) struct EntryRow {
    id: Id,
    team_id: Id,
    seq: Option<i64>,
    kind: String,
    body: String,
    author_member_id: Option<Id>,
    author: String,
    reply_to: Option<Id>,
    strikes: Option<Id>,
    body_temperature: Option<f64>,
    systolic: Option<i64>,
    diastolic: Option<i64>,
    pulse: Option<i64>,
    spo2: Option<i64>,
    respiratory_rate: Option<i64>,
    weight: Option<f64>,
    request_state: Option<String>,
    posted_at: DateTime<Utc>,
    state: EntryState,
}

fn small(value: Option<i64>) -> StoreResult<Option<u16>> {
    value
        .map(|v| u16::try_from(v).map_err(|_| StoreError::Corrupt("vital sign")))
        .transpose()
}

impl EntryRow {
    pub(super) fn into_record(self) -> StoreResult<EntryRecord> {
        let vitals = Vitals {
            body_temperature: self.body_temperature,
            systolic: small(self.systolic)?,
            diastolic: small(self.diastolic)?,
            pulse: small(self.pulse)?,
            spo2: small(self.spo2)?,
            respiratory_rate: small(self.respiratory_rate)?,
            weight: self.weight,
        };
        Ok(EntryRecord {
            id: self.id.0,
            team_id: self.team_id.0,
            seq: self.seq,
            kind: EntryKind::from_code(&self.kind).ok_or(StoreError::Corrupt("entry kind"))?,
            body: self.body,
            author_member: self.author_member_id.map(Uuid::from),
            author: self.author,
            reply_to: self.reply_to.map(Uuid::from),
            strikes: self.strikes.map(Uuid::from),
            vitals: (vitals != Vitals::default()).then_some(vitals),
            request_state: self
                .request_state
                .map(|s| RequestState::from_code(&s).ok_or(StoreError::Corrupt("request state")))
                .transpose()?,
            posted_at: self.posted_at,
            state: self.state,
            attachments: Vec::new(),
        })
    }
}

/// Inserts an entry, or (one this clinic wrote, coming back from the
/// feed) replaces the pending copy with what the server says: one entry,
/// never two.
pub(super) async fn insert_entry(conn: &mut SqliteConnection, e: &EntryRecord) -> StoreResult<()> {
    insert_entries(conn, &[e]).await
}

/// Entries as the feed or this clinic wrote them, many rows a statement
/// (a first sync brings 100,000: one statement each spent most of its
/// time on the round trips, `make bench`). The server's copy of a post
/// written here replaces it (same id, same team).
pub(super) async fn insert_entries(
    conn: &mut SqliteConnection,
    entries: &[&EntryRecord],
) -> StoreResult<()> {
    insert_rows(
        conn,
        "INSERT INTO team_entries (id, team_id, seq, kind, body, author_member_id, author,
             reply_to, strikes, body_temperature, systolic, diastolic, pulse, spo2,
             respiratory_rate, weight, request_state, posted_at, state) ",
        entries,
        " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, kind = excluded.kind,
             body = excluded.body, author_member_id = excluded.author_member_id,
             author = excluded.author, reply_to = excluded.reply_to, strikes = excluded.strikes,
             body_temperature = excluded.body_temperature, systolic = excluded.systolic,
             diastolic = excluded.diastolic, pulse = excluded.pulse, spo2 = excluded.spo2,
             respiratory_rate = excluded.respiratory_rate, weight = excluded.weight,
             request_state = excluded.request_state, posted_at = excluded.posted_at,
             state = excluded.state
         WHERE team_entries.team_id = excluded.team_id",
        |mut row, e| {
            let v = e.vitals.unwrap_or_default();
            row.push_bind(Id(e.id))
                .push_bind(Id(e.team_id))
                .push_bind(e.seq)
                .push_bind(e.kind.code())
                .push_bind(e.body.clone())
                .push_bind(e.author_member.map(Id))
                .push_bind(e.author.clone())
                .push_bind(e.reply_to.map(Id))
                .push_bind(e.strikes.map(Id))
                .push_bind(v.body_temperature)
                .push_bind(v.systolic.map(i64::from))
                .push_bind(v.diastolic.map(i64::from))
                .push_bind(v.pulse.map(i64::from))
                .push_bind(v.spo2.map(i64::from))
                .push_bind(v.respiratory_rate.map(i64::from))
                .push_bind(v.weight)
                .push_bind(e.request_state.map(|s| s.code()))
                .push_bind(e.posted_at)
                .push_bind(e.state);
        },
    )
    .await
}

pub(super) const ATTACHMENT_COLUMNS: &str = "a.id, a.entry_id, a.name, a.media_type, a.size, \
     a.sha256, a.bytes IS NOT NULL AS held, a.uploaded";

#[derive(sqlx::FromRow)]
pub(super) struct AttachmentRow {
    id: Id,
    entry_id: Id,
    name: String,
    media_type: String,
    size: i64,
    sha256: String,
    held: bool,
    uploaded: bool,
}

impl AttachmentRow {
    pub(super) fn into_meta(self) -> (Uuid, AttachmentMeta) {
        (
            self.entry_id.0,
            AttachmentMeta {
                id: self.id.0,
                name: self.name,
                media_type: self.media_type,
                size: self.size,
                sha256: self.sha256,
                held: self.held,
                uploaded: self.uploaded,
            },
        )
    }
}
