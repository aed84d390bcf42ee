//! The patient's home-care team (在宅チーム) and its timeline, as this
//! clinic holds them (ADR 0020, 0023): what the server's feed said, and
//! what was written here and waits in the outbox. Every write here is one
//! transaction with its outbox row and audit entry; the rules were asked
//! by the app (the domain's) before it got here.

mod attachments;
mod conferences;
mod pulled;
mod rows;

pub use attachments::MissingAttachment;
pub(crate) use attachments::uploads_pending;
pub use conferences::{AttendanceGivenHere, ConferenceRecord, HeldConference, InviteeRecord};
pub use pulled::TeamPulled;
pub(crate) use pulled::apply_team_changes;
pub use rows::{
    AttachmentMeta, DirectoryEntry, EntryRecord, EntryState, HistoryRecord, MemberRecord,
    NewAttachment, ReceiptRecord, TeamRecord,
};

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::team::{FirstContactTopic, RequestState};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::batch::json_ids;
use crate::error::{StoreError, StoreResult};
use crate::outbox;
use crate::sql::Id;
use rows::{
    ATTACHMENT_COLUMNS, AttachmentRow, ENTRY_COLUMNS, EntryRow, MEMBER_COLUMNS, MemberRow,
    insert_entry, upsert_member,
};

const TEAM: &str = "team";
const TEAM_ATTACHMENT: &str = "team_attachment";

/// A team operation to queue with a write: its JSON, the record it is
/// about (the entry a post makes, or the team) and the patient. `None`
/// where nothing is shared (no consent naming the team).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamOperation {
    pub record_id: Uuid,
    pub payload: String,
}

/// Who writes, when, and what the server is to be told (`None` where
/// nothing is shared: no consent naming the team).
#[derive(Debug, Clone, Copy)]
pub struct TeamWrite<'a> {
    pub operation: Option<&'a TeamOperation>,
    pub actor: &'a str,
    pub now: DateTime<Utc>,
}

/// A post ready to be written: the entry, its files, the 相談 it answers
/// (and that 相談's new state), and who writes it. Written on its own
/// (`post_team_entry`) or in the transaction of a record it shares (the
/// 在宅医療情報連携加算's), so neither is kept without the other.
#[derive(Debug, Clone, Copy)]
pub struct TeamPost<'a> {
    pub entry: &'a EntryRecord,
    pub attachments: &'a [NewAttachment],
    pub answered: Option<(Uuid, RequestState)>,
    pub write: TeamWrite<'a>,
}

/// Unread entries and open 相談 across the clinic's teams (the header's badge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamCounts {
    pub unread: i64,
    pub open_requests: i64,
}

/// A 相談・依頼 no one else has answered yet, for the worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRequest {
    pub entry_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub author: String,
    pub posted_at: DateTime<Utc>,
    /// Asked by the clinic itself (waiting for the team's answer).
    pub mine: bool,
}

impl Store {
    /// The patient's team: the one the server confirmed, else the one
    /// started here.
    pub async fn team_for_patient(&self, patient_id: Uuid) -> StoreResult<Option<TeamRecord>> {
        let row: Option<(Id, Id, DateTime<Utc>, bool)> = sqlx::query_as(
            "SELECT id, patient_id, started_at, confirmed FROM teams WHERE patient_id = ?
             ORDER BY confirmed DESC, started_at, id LIMIT 1",
        )
        .bind(Id(patient_id))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, patient, started_at, confirmed)| TeamRecord {
            id: id.0,
            patient_id: patient.0,
            started_at,
            confirmed,
        }))
    }

    pub async fn team(&self, team_id: Uuid) -> StoreResult<TeamRecord> {
        let (id, patient, started_at, confirmed): (Id, Id, DateTime<Utc>, bool) =
            sqlx::query_as("SELECT id, patient_id, started_at, confirmed FROM teams WHERE id = ?")
                .bind(Id(team_id))
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(TeamRecord {
            id: id.0,
            patient_id: patient.0,
            started_at,
            confirmed,
        })
    }

    pub async fn team_members(&self, team_id: Uuid) -> StoreResult<Vec<MemberRecord>> {
        let mut conn = self.pool.acquire().await?;
        members(&mut conn, team_id).await
    }

    /// The timeline in the team's order (pending posts last, in the order
    /// they were written), with each entry's attachments.
    pub async fn team_entries(&self, team_id: Uuid) -> StoreResult<Vec<EntryRecord>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM team_entries WHERE team_id = ?
             ORDER BY seq IS NULL, seq, posted_at, id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(team_id))
            .fetch_all(&self.pool)
            .await?;
        let sql = format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM team_attachments a
             JOIN team_entries e ON e.id = a.entry_id WHERE e.team_id = ?
             ORDER BY a.entry_id, a.position"
        );
        let attachments: Vec<AttachmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(team_id))
            .fetch_all(&self.pool)
            .await?;
        let mut by_entry: std::collections::HashMap<Uuid, Vec<AttachmentMeta>> =
            std::collections::HashMap::new();
        for a in attachments {
            let (entry, meta) = a.into_meta();
            by_entry.entry(entry).or_default().push(meta);
        }
        rows.into_iter()
            .map(|row| {
                let mut entry = row.into_record()?;
                entry.attachments = by_entry.remove(&entry.id).unwrap_or_default();
                Ok(entry)
            })
            .collect()
    }

    pub async fn team_receipts(&self, team_id: Uuid) -> StoreResult<Vec<ReceiptRecord>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            entry_id: Id,
            member_id: Id,
            reader: String,
            read_at: DateTime<Utc>,
            acknowledged_at: Option<DateTime<Utc>>,
            pending: bool,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT r.entry_id, r.member_id, r.reader, r.read_at, r.acknowledged_at, r.pending
             FROM team_receipts r JOIN team_entries e ON e.id = r.entry_id
             WHERE e.team_id = ? ORDER BY r.read_at, r.reader",
        )
        .bind(Id(team_id))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ReceiptRecord {
                entry_id: r.entry_id.0,
                member_id: r.member_id.0,
                reader: r.reader,
                read_at: r.read_at,
                acknowledged_at: r.acknowledged_at,
                pending: r.pending,
            })
            .collect())
    }

    pub async fn team_history(&self, team_id: Uuid) -> StoreResult<Vec<HistoryRecord>> {
        let rows: Vec<(String, Id, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT change, member_id, actor, at FROM team_history WHERE team_id = ?
             ORDER BY at, rowid",
        )
        .bind(Id(team_id))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(change, member, actor, at)| HistoryRecord {
                change,
                member_id: member.0,
                actor,
                at,
            })
            .collect())
    }

    /// The organisations the clinic may invite, by kind and name.
    pub async fn team_directory(&self) -> StoreResult<Vec<DirectoryEntry>> {
        let rows: Vec<(Id, String, String, String, String, bool)> = sqlx::query_as(
            "SELECT id, name, kind, phone, fax, stopped FROM team_directory ORDER BY kind, name, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(rows::directory_entry).collect()
    }

    pub async fn directory_entry(&self, id: Uuid) -> StoreResult<DirectoryEntry> {
        let row: (Id, String, String, String, String, bool) = sqlx::query_as(
            "SELECT id, name, kind, phone, fax, stopped FROM team_directory WHERE id = ?",
        )
        .bind(Id(id))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        rows::directory_entry(row)
    }

    /// Whether the patient's consent in force names the team.
    pub async fn team_consent_in_force(&self, patient_id: Uuid) -> StoreResult<bool> {
        let mut conn = self.pool.acquire().await?;
        crate::consents::team_consent_in_force(&mut conn, patient_id).await
    }

    /// Unread entries (not written by the clinic, not read by any of its
    /// staff) and open 相談 across its teams.
    pub async fn team_counts(&self) -> StoreResult<TeamCounts> {
        let (unread, open_requests): (i64, i64) = sqlx::query_as(
            "WITH owners AS (SELECT team_id, id FROM team_members WHERE role = 'primary_physician')
             SELECT
               (SELECT count(*) FROM team_entries e JOIN owners o ON o.team_id = e.team_id
                WHERE e.state = 'confirmed' AND e.author_member_id IS NOT o.id
                  AND NOT EXISTS (SELECT 1 FROM team_receipts r
                                  WHERE r.entry_id = e.id AND r.member_id = o.id)),
               (SELECT count(*) FROM team_entries e
                WHERE e.kind = 'request' AND e.request_state = 'open' AND e.reply_to IS NULL
                  AND NOT EXISTS (SELECT 1 FROM team_entries c WHERE c.strikes = e.id))",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(TeamCounts {
            unread,
            open_requests,
        })
    }

    /// Every open 相談・依頼 (a post, not struck, of a patient not deleted):
    /// the worklist asks the domain which have waited too long.
    pub async fn open_team_requests(&self) -> StoreResult<Vec<OpenRequest>> {
        let rows: Vec<(Id, Id, String, String, DateTime<Utc>, bool)> = sqlx::query_as(
            "SELECT e.id, t.patient_id, p.name, e.author, e.posted_at,
                    e.author_member_id IS NOT NULL AND e.author_member_id IN
                      (SELECT m.id FROM team_members m
                       WHERE m.team_id = e.team_id AND m.role = 'primary_physician')
             FROM team_entries e JOIN teams t ON t.id = e.team_id
             JOIN patients p ON p.id = t.patient_id
             WHERE e.kind = 'request' AND e.request_state = 'open' AND e.reply_to IS NULL
               AND e.state = 'confirmed' AND p.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM team_entries c WHERE c.strikes = e.id
                               AND c.state IN ('pending', 'confirmed'))
             ORDER BY e.posted_at",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(entry, patient, name, author, posted_at, mine)| OpenRequest {
                    entry_id: entry.0,
                    patient_id: patient.0,
                    patient_name: name,
                    author,
                    posted_at,
                    mine,
                },
            )
            .collect())
    }

    /// Starts the patient's team with its owner (the clinic, 主治医).
    pub async fn start_team(
        &self,
        team: &TeamRecord,
        owner: &MemberRecord,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM teams WHERE patient_id = ?)")
                .bind(Id(team.patient_id))
                .fetch_one(&mut *tx)
                .await?;
        if exists {
            return Err(StoreError::TeamExists);
        }
        sqlx::query(
            "INSERT INTO teams (id, patient_id, started_at, confirmed) VALUES (?, ?, ?, 0)",
        )
        .bind(Id(team.id))
        .bind(Id(team.patient_id))
        .bind(team.started_at)
        .execute(&mut *tx)
        .await?;
        upsert_member(&mut tx, owner, w.now).await?;
        finish(&mut tx, team.id, team.patient_id, w, AuditAction::Create).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues a team's start again if the server has neither had it nor
    /// has it waiting: consent to the team withdrawn before the start was
    /// sent (its row held back) and given again. Whether anything was
    /// queued.
    pub async fn queue_team_start_if_unsent(
        &self,
        team_id: Uuid,
        payload: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let patient = patient_of(&mut tx, team_id).await?;
        let (confirmed, told): (bool, bool) = sqlx::query_as(
            "SELECT (SELECT confirmed FROM teams WHERE id = ?1),
                    EXISTS (SELECT 1 FROM sync_outbox WHERE kind = 'team' AND record_id = ?1
                            AND state IN ('pending', 'applied'))",
        )
        .bind(Id(team_id))
        .fetch_one(&mut *tx)
        .await?;
        if confirmed || told {
            return Ok(false);
        }
        outbox::enqueue_team(&mut tx, team_id, patient, payload, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Writes a member as it now is (invited, its state after an action, a
    /// family contact).
    pub async fn save_team_member(
        &self,
        member: &MemberRecord,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let patient = patient_of(&mut tx, member.team_id).await?;
        upsert_member(&mut tx, member, w.now).await?;
        finish(&mut tx, member.team_id, patient, w, AuditAction::Update).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes `member_id` the team's first contact for `topic`, and no
    /// other member (the domain's `assign_first_contact` said it may).
    pub async fn set_first_contact(
        &self,
        team_id: Uuid,
        member_id: Uuid,
        topic: FirstContactTopic,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let patient = patient_of(&mut tx, team_id).await?;
        for mut member in members(&mut tx, team_id).await? {
            let had = member.first_contact_for.contains(&topic);
            let wants = member.id == member_id;
            if had != wants {
                member.first_contact_for.retain(|t| *t != topic);
                if wants {
                    member.first_contact_for.push(topic);
                }
                upsert_member(&mut tx, &member, w.now).await?;
            }
        }
        finish(&mut tx, team_id, patient, w, AuditAction::Update).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A post written here: pending until the feed confirms it, its files
    /// kept (encrypted) to upload before the post is pushed. A reply to an
    /// open 相談 by someone else marks it answered, as the server will.
    pub async fn post_team_entry(
        &self,
        entry: &EntryRecord,
        attachments: &[NewAttachment],
        answered: Option<(Uuid, RequestState)>,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let post = TeamPost {
            entry,
            attachments,
            answered,
            write: *w,
        };
        write_team_entry(&mut tx, &post).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Receipts of the clinic (its owner member) written here: read, or
    /// 「確認しました」. The first read stays; the server's own receipt
    /// replaces these when it comes.
    pub async fn record_team_receipts(
        &self,
        team_id: Uuid,
        member_id: Uuid,
        reader: &str,
        entries: &[Uuid],
        acknowledged: bool,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let patient = patient_of(&mut tx, team_id).await?;
        for entry in entries {
            sqlx::query(
                "INSERT INTO team_receipts (entry_id, member_id, reader, read_at, acknowledged_at,
                     pending)
                 SELECT ?1, ?2, ?3, ?4, ?5, 1 WHERE EXISTS
                   (SELECT 1 FROM team_entries WHERE id = ?1 AND team_id = ?6)
                 ON CONFLICT (entry_id, member_id, reader) DO UPDATE SET
                   acknowledged_at = coalesce(team_receipts.acknowledged_at,
                                              excluded.acknowledged_at)",
            )
            .bind(Id(*entry))
            .bind(Id(member_id))
            .bind(reader)
            .bind(w.now)
            .bind(acknowledged.then_some(w.now))
            .bind(Id(team_id))
            .execute(&mut *tx)
            .await?;
        }
        if let Some(op) = w.operation {
            outbox::enqueue_team(&mut tx, op.record_id, patient, &op.payload, w.now).await?;
        }
        if acknowledged {
            audit::append(
                &mut tx,
                w.now,
                w.actor,
                AuditAction::Update,
                TEAM,
                &team_id.to_string(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A 相談 closed here.
    pub async fn close_team_request(
        &self,
        team_id: Uuid,
        entry_id: Uuid,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let patient = patient_of(&mut tx, team_id).await?;
        set_request_state(&mut tx, entry_id, RequestState::Closed).await?;
        finish(&mut tx, team_id, patient, w, AuditAction::Update).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that the patient's team was shown (the audit log).
    pub async fn audit_team_view(
        &self,
        team_id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        audit::append(
            &mut conn,
            now,
            actor,
            AuditAction::View,
            TEAM,
            &team_id.to_string(),
        )
        .await
    }

    /// The ids of `entries` that are in `team_id` (the rest are refused by
    /// the caller).
    pub async fn entries_of_team(&self, team_id: Uuid, entries: &[Uuid]) -> StoreResult<Vec<Uuid>> {
        Ok(sqlx::query_scalar::<_, Id>(
            "SELECT id FROM team_entries WHERE team_id = ? AND id IN (SELECT value FROM json_each(?))",
        )
        .bind(Id(team_id))
        .bind(json_ids(entries))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Uuid::from)
        .collect())
    }
}

/// Writes a post (entry, files, the answered 相談's state, outbox row and
/// audit entry) inside the caller's transaction.
pub(crate) async fn write_team_entry(
    conn: &mut SqliteConnection,
    post: &TeamPost<'_>,
) -> StoreResult<()> {
    let entry = post.entry;
    let patient = patient_of(&mut *conn, entry.team_id).await?;
    insert_entry(&mut *conn, entry).await?;
    for (position, a) in post.attachments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO team_attachments (id, entry_id, position, name, media_type, size,
                 sha256, bytes, uploaded)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        )
        .bind(Id(a.id))
        .bind(Id(entry.id))
        .bind(position as i64)
        .bind(&a.name)
        .bind(&a.media_type)
        .bind(a.bytes.len() as i64)
        .bind(&a.sha256)
        .bind(&a.bytes)
        .execute(&mut *conn)
        .await?;
    }
    if let Some((request, state)) = post.answered {
        set_request_state(&mut *conn, request, state).await?;
    }
    finish(
        &mut *conn,
        entry.team_id,
        patient,
        &post.write,
        AuditAction::Create,
    )
    .await
}

async fn patient_of(conn: &mut SqliteConnection, team_id: Uuid) -> StoreResult<Uuid> {
    let patient: Id = sqlx::query_scalar("SELECT patient_id FROM teams WHERE id = ?")
        .bind(Id(team_id))
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(patient.0)
}

pub(crate) async fn members(
    conn: &mut SqliteConnection,
    team_id: Uuid,
) -> StoreResult<Vec<MemberRecord>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM team_members WHERE team_id = ?
         ORDER BY role = 'primary_physician' DESC, role = 'family_contact', updated_at, id"
    );
    let rows: Vec<MemberRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(Id(team_id))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(MemberRow::into_record).collect()
}

async fn set_request_state(
    conn: &mut SqliteConnection,
    entry: Uuid,
    state: RequestState,
) -> StoreResult<()> {
    sqlx::query("UPDATE team_entries SET request_state = ? WHERE id = ? AND kind = 'request'")
        .bind(state.code())
        .bind(Id(entry))
        .execute(conn)
        .await?;
    Ok(())
}

/// The outbox row (if anything is shared) and the audit entry of a write.
async fn finish(
    conn: &mut SqliteConnection,
    team_id: Uuid,
    patient: Uuid,
    w: &TeamWrite<'_>,
    action: AuditAction,
) -> StoreResult<()> {
    if let Some(op) = w.operation {
        outbox::enqueue_team(&mut *conn, op.record_id, patient, &op.payload, w.now).await?;
    }
    audit::append(conn, w.now, w.actor, action, TEAM, &team_id.to_string()).await
}
