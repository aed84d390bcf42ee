//! The teams' tables (migration 0015): teams, members, history, the
//! timeline, requests, attachments, receipts and read marks. Rows in,
//! rows out; the rules are the domain's, applied in `services::teams`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::model::Scope;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TeamRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub clinic_id: Uuid,
    pub last_seq: i64,
    pub started_at: DateTime<Utc>,
}

/// The team, its row locked until the transaction ends: every change of a
/// team goes through here first, so two changes never interleave (and the
/// timeline's numbers stay gapless).
pub(crate) async fn lock(conn: &mut PgConnection, team: Uuid) -> sqlx::Result<Option<TeamRow>> {
    sqlx::query_as(
        "SELECT id, patient_id, clinic_id, last_seq, started_at FROM teams WHERE id = $1 FOR UPDATE",
    )
    .bind(team)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn get(conn: &mut PgConnection, team: Uuid) -> sqlx::Result<Option<TeamRow>> {
    sqlx::query_as(
        "SELECT id, patient_id, clinic_id, last_seq, started_at FROM teams WHERE id = $1",
    )
    .bind(team)
    .fetch_optional(conn)
    .await
}

/// A new team; `None` if the patient already has one (its id is returned
/// instead, so a repeated start is recognised).
pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    patient: Uuid,
    clinic: Uuid,
) -> sqlx::Result<Result<DateTime<Utc>, Uuid>> {
    let inserted: Option<DateTime<Utc>> = sqlx::query_scalar(
        "INSERT INTO teams (id, patient_id, clinic_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING started_at",
    )
    .bind(id)
    .bind(patient)
    .bind(clinic)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(at) = inserted {
        return Ok(Ok(at));
    }
    let existing: Uuid =
        sqlx::query_scalar("SELECT id FROM teams WHERE patient_id = $1 OR id = $2")
            .bind(patient)
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(Err(existing))
}

/// A member with what the team shows of its organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub role: String,
    pub state: String,
    pub person: String,
    pub family_name: String,
    pub relation: String,
    pub phone: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub needs_approval: bool,
    pub access_until: Option<DateTime<Utc>>,
    pub first_contact_for: Vec<String>,
    pub invited_by: Option<Uuid>,
    /// A person invited by name (ward staff): only this account acts.
    pub user_id: Option<Uuid>,
    pub days_after_stay: Option<i16>,
    pub organisation_name: Option<String>,
    pub organisation_kind: Option<String>,
    pub organisation_phone: Option<String>,
    pub organisation_fax: Option<String>,
}

const MEMBER_COLUMNS: &str = "m.id, m.organisation_id, m.role, m.state, m.person,
    m.family_name, m.relation, m.phone, m.expires_at, m.needs_approval, m.access_until,
    m.first_contact_for, m.invited_by, m.user_id, m.days_after_stay, o.name AS organisation_name,
    o.kind AS organisation_kind, o.phone AS organisation_phone, o.fax AS organisation_fax";

pub(crate) async fn members(conn: &mut PgConnection, team: Uuid) -> sqlx::Result<Vec<MemberRow>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM team_members m
         LEFT JOIN organisations o ON o.id = m.organisation_id
         WHERE m.team_id = $1 ORDER BY m.id"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(team)
        .fetch_all(conn)
        .await
}

pub(crate) async fn member(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<MemberRow>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM team_members m
         LEFT JOIN organisations o ON o.id = m.organisation_id WHERE m.id = $1"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A member as first written.
pub(crate) struct NewMember<'a> {
    pub id: Uuid,
    pub team: Uuid,
    pub organisation: Option<Uuid>,
    pub role: &'a str,
    pub state: &'a str,
    pub person: &'a str,
    pub family_name: &'a str,
    pub relation: &'a str,
    pub phone: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
    pub needs_approval: bool,
    pub invited_by: Option<Uuid>,
    /// A person invited by name, and the days after the stay they keep.
    pub person_account: Option<(Uuid, i16)>,
}

/// False if the id is taken, or the organisation (or the person) is
/// already invited to or on the team.
pub(crate) async fn insert_member(
    conn: &mut PgConnection,
    m: &NewMember<'_>,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO team_members (id, team_id, organisation_id, role, state, person,
           family_name, relation, phone, expires_at, needs_approval, invited_by, user_id,
           days_after_stay)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT DO NOTHING",
    )
    .bind(m.id)
    .bind(m.team)
    .bind(m.organisation)
    .bind(m.role)
    .bind(m.state)
    .bind(m.person)
    .bind(m.family_name)
    .bind(m.relation)
    .bind(m.phone)
    .bind(m.expires_at)
    .bind(m.needs_approval)
    .bind(m.invited_by)
    .bind(m.person_account.map(|(user, _)| user))
    .bind(m.person_account.map(|(_, days)| days))
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub(crate) async fn set_member_state(
    conn: &mut PgConnection,
    member: Uuid,
    state: &str,
    expires_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE team_members SET state = $2, expires_at = $3, updated_at = now() WHERE id = $1",
    )
    .bind(member)
    .bind(state)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn set_first_contacts(
    conn: &mut PgConnection,
    member: Uuid,
    topics: &[String],
) -> sqlx::Result<()> {
    sqlx::query("UPDATE team_members SET first_contact_for = $2, updated_at = now() WHERE id = $1")
        .bind(member)
        .bind(topics)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn add_history(
    conn: &mut PgConnection,
    team: Uuid,
    member: Uuid,
    change: &str,
    actor: &str,
) -> sqlx::Result<DateTime<Utc>> {
    sqlx::query_scalar(
        "INSERT INTO team_history (team_id, member_id, change, actor) VALUES ($1, $2, $3, $4)
         RETURNING at",
    )
    .bind(team)
    .bind(member)
    .bind(change)
    .bind(actor)
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct HistoryRow {
    pub member_id: Uuid,
    pub change: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

pub(crate) async fn history(conn: &mut PgConnection, team: Uuid) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as(
        "SELECT member_id, change, actor, at FROM team_history WHERE team_id = $1 ORDER BY seq",
    )
    .bind(team)
    .fetch_all(conn)
    .await
}

/// The next number on the team's timeline (the team row is locked).
pub(crate) async fn next_seq(conn: &mut PgConnection, team: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar("UPDATE teams SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq")
        .bind(team)
        .fetch_one(conn)
        .await
}

/// Vital signs as columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, sqlx::FromRow)]
pub(crate) struct VitalsRow {
    pub body_temperature: Option<f64>,
    pub systolic: Option<i16>,
    pub diastolic: Option<i16>,
    pub pulse: Option<i16>,
    pub spo2: Option<i16>,
    pub respiratory_rate: Option<i16>,
    pub weight: Option<f64>,
}

pub(crate) struct NewEntry<'a> {
    pub id: Uuid,
    pub team: Uuid,
    pub seq: i64,
    pub kind: &'a str,
    pub body: &'a str,
    pub author_member: Option<Uuid>,
    pub author: &'a str,
    pub author_actor: &'a str,
    pub reply_to: Option<Uuid>,
    pub strikes: Option<Uuid>,
    pub referral: Option<Uuid>,
    pub vitals: Option<VitalsRow>,
}

pub(crate) async fn insert_entry(
    conn: &mut PgConnection,
    e: &NewEntry<'_>,
) -> sqlx::Result<DateTime<Utc>> {
    let v = e.vitals.unwrap_or_default();
    sqlx::query_scalar(
        "INSERT INTO team_entries (id, team_id, seq, kind, body, author_member, author,
           author_actor, reply_to, strikes, referral_id, body_temperature, systolic, diastolic,
           pulse, spo2, respiratory_rate, weight)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         RETURNING posted_at",
    )
    .bind(e.id)
    .bind(e.team)
    .bind(e.seq)
    .bind(e.kind)
    .bind(e.body)
    .bind(e.author_member)
    .bind(e.author)
    .bind(e.author_actor)
    .bind(e.reply_to)
    .bind(e.strikes)
    .bind(e.referral)
    .bind(v.body_temperature)
    .bind(v.systolic)
    .bind(v.diastolic)
    .bind(v.pulse)
    .bind(v.spo2)
    .bind(v.respiratory_rate)
    .bind(v.weight)
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EntryRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub seq: i64,
    pub kind: String,
    pub body: String,
    pub author_member: Option<Uuid>,
    pub author: String,
    pub author_actor: String,
    pub reply_to: Option<Uuid>,
    pub strikes: Option<Uuid>,
    pub posted_at: DateTime<Utc>,
    #[sqlx(flatten)]
    pub vitals: VitalsRow,
    /// The correction that struck it.
    pub struck_by: Option<Uuid>,
    pub request_state: Option<String>,
    pub request_asker: Option<Uuid>,
}

const ENTRY_COLUMNS: &str = "e.id, e.team_id, e.seq, e.kind, e.body, e.author_member, e.author,
    e.author_actor, e.reply_to, e.strikes, e.posted_at, e.body_temperature, e.systolic,
    e.diastolic, e.pulse, e.spo2, e.respiratory_rate, e.weight,
    (SELECT c.id FROM team_entries c WHERE c.strikes = e.id) AS struck_by,
    r.state AS request_state, r.asker AS request_asker";

pub(crate) async fn entry(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<EntryRow>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM team_entries e
         LEFT JOIN team_requests r ON r.entry_id = e.id WHERE e.id = $1"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Up to `limit` entries numbered below `before`, newest first.
pub(crate) async fn entries_before(
    conn: &mut PgConnection,
    team: Uuid,
    before: i64,
    limit: i64,
) -> sqlx::Result<Vec<EntryRow>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM team_entries e
         LEFT JOIN team_requests r ON r.entry_id = e.id
         WHERE e.team_id = $1 AND e.seq < $2 ORDER BY e.seq DESC LIMIT $3"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(team)
        .bind(before)
        .bind(limit)
        .fetch_all(conn)
        .await
}

pub(crate) async fn open_request(
    conn: &mut PgConnection,
    team: Uuid,
    entry: Uuid,
    asker: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO team_requests (entry_id, team_id, state, asker) VALUES ($1, $2, 'open', $3)",
    )
    .bind(entry)
    .bind(team)
    .bind(asker)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn set_request_state(
    conn: &mut PgConnection,
    entry: Uuid,
    state: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE team_requests SET state = $2, changed_at = now() WHERE entry_id = $1")
        .bind(entry)
        .bind(state)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AttachmentRow {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub entry_id: Option<Uuid>,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

pub(crate) struct NewAttachment<'a> {
    pub id: Uuid,
    pub organisation: Uuid,
    pub name: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
}

/// Keeps an uploaded file; a repeated upload of the same id changes
/// nothing (the caller compares what is kept).
pub(crate) async fn insert_attachment(
    conn: &mut PgConnection,
    a: &NewAttachment<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO team_attachments (id, organisation_id, name, media_type, size, sha256, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(a.id)
    .bind(a.organisation)
    .bind(a.name)
    .bind(a.media_type)
    .bind(a.bytes.len() as i64)
    .bind(a.sha256)
    .bind(a.bytes)
    .execute(conn)
    .await?;
    Ok(())
}

const ATTACHMENT_COLUMNS: &str = "id, organisation_id, entry_id, name, media_type, size, sha256";

pub(crate) async fn attachment(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<AttachmentRow>> {
    let sql = format!("SELECT {ATTACHMENT_COLUMNS} FROM team_attachments WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub(crate) async fn attachment_bytes(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Vec<u8>> {
    sqlx::query_scalar("SELECT bytes FROM team_attachments WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

pub(crate) async fn link_attachment(
    conn: &mut PgConnection,
    id: Uuid,
    entry: Uuid,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE team_attachments SET entry_id = $2 WHERE id = $1 AND entry_id IS NULL")
        .bind(id)
        .bind(entry)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn attachments_of(
    conn: &mut PgConnection,
    entries: &[Uuid],
) -> sqlx::Result<Vec<AttachmentRow>> {
    let sql = format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM team_attachments WHERE entry_id = ANY($1) ORDER BY id"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(entries)
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ReceiptRow {
    pub entry_id: Uuid,
    pub member_id: Uuid,
    pub reader: String,
    pub reader_label: String,
    pub read_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// Records that `reader` read (and, with `acknowledge`, confirmed) the
/// entries; the first time stays. Returns the receipts that changed.
pub(crate) async fn record_receipts(
    conn: &mut PgConnection,
    entries: &[Uuid],
    member: Uuid,
    reader: &str,
    reader_label: &str,
    acknowledge: bool,
) -> sqlx::Result<Vec<ReceiptRow>> {
    sqlx::query_as(
        "INSERT INTO team_receipts AS t (entry_id, member_id, reader, reader_label, acknowledged_at)
         SELECT e, $2, $3, $4, CASE WHEN $5 THEN now() END FROM unnest($1::uuid[]) AS e
         ON CONFLICT (entry_id, reader) DO UPDATE
           SET acknowledged_at = now()
           WHERE $5 AND t.acknowledged_at IS NULL
         RETURNING entry_id, member_id, reader, reader_label, read_at, acknowledged_at",
    )
    .bind(entries)
    .bind(member)
    .bind(reader)
    .bind(reader_label)
    .bind(acknowledge)
    .fetch_all(conn)
    .await
}

pub(crate) async fn receipts_of(
    conn: &mut PgConnection,
    entries: &[Uuid],
) -> sqlx::Result<Vec<ReceiptRow>> {
    sqlx::query_as(
        "SELECT entry_id, member_id, reader, reader_label, read_at, acknowledged_at
         FROM team_receipts WHERE entry_id = ANY($1) ORDER BY read_at",
    )
    .bind(entries)
    .fetch_all(conn)
    .await
}

/// Moves `reader`'s mark on the team forward to `seq` (never back).
pub(crate) async fn mark_read(
    conn: &mut PgConnection,
    team: Uuid,
    reader: &str,
    seq: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO team_read_marks AS m (team_id, reader, read_seq) VALUES ($1, $2, $3)
         ON CONFLICT (team_id, reader) DO UPDATE SET read_seq = greatest(m.read_seq, $3)",
    )
    .bind(team)
    .bind(reader)
    .bind(seq)
    .execute(conn)
    .await?;
    Ok(())
}

/// The patient's identity for the team page (kept only under consent).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PatientRow {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

pub(crate) async fn patient(conn: &mut PgConnection, patient: Uuid) -> sqlx::Result<PatientRow> {
    sqlx::query_as("SELECT name, kana, birth_date FROM patients WHERE id = $1")
        .bind(patient)
        .fetch_one(conn)
        .await
}

/// The patient's consent as recorded last (the team's gate).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ConsentRow {
    pub obtained_on: NaiveDate,
    pub obtained_by: String,
    pub desk: bool,
    pub destination_hospital: bool,
    pub team: bool,
    pub family_name: Option<String>,
    pub family_relation: Option<String>,
    pub withdrawn_on: Option<NaiveDate>,
    pub preregistration: bool,
    pub preregistered_with: Vec<Uuid>,
}

pub(crate) async fn latest_consent(
    conn: &mut PgConnection,
    patient: Uuid,
) -> sqlx::Result<Option<ConsentRow>> {
    sqlx::query_as(
        "SELECT obtained_on, obtained_by, desk, destination_hospital, team, family_name,
           family_relation, withdrawn_on, preregistration, preregistered_with
         FROM consents WHERE patient_id = $1
         ORDER BY withdrawn_on IS NULL DESC, updated_at DESC LIMIT 1",
    )
    .bind(patient)
    .fetch_optional(conn)
    .await
}

/// The team of a patient, if any.
pub(crate) async fn of_patient(
    conn: &mut PgConnection,
    patient: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("SELECT id FROM teams WHERE patient_id = $1")
        .bind(patient)
        .fetch_optional(conn)
        .await
}

/// An organisation as an invitation needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct InviteeRow {
    pub kind: String,
    pub requires_approval: bool,
    pub stopped: bool,
}

pub(crate) async fn invitee(
    conn: &mut PgConnection,
    organisation: Uuid,
) -> sqlx::Result<Option<InviteeRow>> {
    sqlx::query_as(
        "SELECT kind, requires_approval, stopped_at IS NOT NULL AS stopped
         FROM organisations WHERE id = $1",
    )
    .bind(organisation)
    .fetch_optional(conn)
    .await
}

/// Tells the team's open pages, at commit, that its timeline moved.
pub(crate) async fn announce(conn: &mut PgConnection, team: Uuid, seq: i64) -> sqlx::Result<()> {
    crate::db::live::announce(conn, Scope::Team(team), seq).await
}

/// Tells the team's open pages that its pinned summary reached `version`.
pub(crate) async fn announce_summary(
    conn: &mut PgConnection,
    team: Uuid,
    version: i64,
) -> sqlx::Result<()> {
    crate::db::live::announce(conn, Scope::TeamSummary(team), version).await
}

/// The entries among `ids` that are on `team`, with their numbers.
pub(crate) async fn entry_seqs(
    conn: &mut PgConnection,
    team: Uuid,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, i64)>> {
    sqlx::query_as("SELECT id, seq FROM team_entries WHERE team_id = $1 AND id = ANY($2)")
        .bind(team)
        .bind(ids)
        .fetch_all(conn)
        .await
}
