//! The team's changes from the clinic's feed (ADR 0023), applied in feed
//! order in the transaction of the page and its cursor. Applying a page
//! twice changes nothing: every change says how a record is now.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::team::{EntryKind, OrganisationKind, RequestState};
use uuid::Uuid;

use super::conferences::{self, ConferenceRecord};
use super::rows::{DirectoryEntry, EntryRecord, MemberRecord, insert_entries, upsert_members};
use crate::batch::{insert_rows, json_ids};
use crate::error::StoreResult;
use crate::sql::Id;

/// One team change of the feed, in the store's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamPulled {
    Started {
        team_id: Uuid,
        patient_id: Uuid,
        started_at: DateTime<Utc>,
    },
    Member(MemberRecord),
    /// An entry (state `Confirmed`), with its attachments' metadata.
    Entry(EntryRecord),
    Receipt {
        entry_id: Uuid,
        member_id: Uuid,
        reader: String,
        read_at: DateTime<Utc>,
        acknowledged_at: Option<DateTime<Utc>>,
    },
    RequestState {
        entry_id: Uuid,
        state: RequestState,
    },
    History {
        team_id: Uuid,
        change: String,
        member_id: Uuid,
        actor: String,
        at: DateTime<Utc>,
    },
    Directory(DirectoryEntry),
    /// A 退院時カンファレンス as it stands.
    Conference(ConferenceRecord),
}

/// What the team's changes of a page brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TeamApplied {
    /// Entries by other members, new here.
    pub entries: usize,
    /// Of which 緊急.
    pub urgent: usize,
    /// Replies by others to a 相談 this clinic asked.
    pub replies_to_ours: usize,
    /// 退院時カンファレンス set, answered, recorded or called off.
    pub conferences: usize,
    /// About teams or entries this install does not hold.
    pub skipped: usize,
}

/// What the store holds of the patients, teams and entries a batch
/// mentions, read once per batch (a first sync brings a hundred thousand
/// entries: a few look-ups each would cost more than writing them). The
/// batch's own patients are written before its team changes, and these
/// write none.
struct Known {
    /// The patients of the teams started in the batch that this install
    /// holds.
    patients: HashSet<Uuid>,
    /// Team → its owner member (the clinic), if known yet.
    teams: HashMap<Uuid, Option<Uuid>>,
    entries: HashSet<Uuid>,
    /// Requests the clinic asked, among the entries replied to.
    our_requests: HashSet<Uuid>,
}

impl Known {
    async fn look_up(conn: &mut SqliteConnection, changes: &[&TeamPulled]) -> StoreResult<Self> {
        // Each team once (a batch names a team with each of its entries).
        let mut teams = HashSet::new();
        let (mut patients, mut entries, mut targets) = (Vec::new(), Vec::new(), Vec::new());
        for change in changes {
            match change {
                TeamPulled::Started { patient_id, .. } => patients.push(patient_id),
                TeamPulled::Member(m) => {
                    teams.insert(&m.team_id);
                }
                TeamPulled::Entry(e) => {
                    teams.insert(&e.team_id);
                    entries.push(&e.id);
                    targets.extend(e.reply_to.as_ref());
                }
                TeamPulled::Receipt { entry_id, .. }
                | TeamPulled::RequestState { entry_id, .. } => {
                    entries.push(entry_id);
                }
                TeamPulled::History { team_id, .. } => {
                    teams.insert(team_id);
                }
                TeamPulled::Conference(c) => {
                    teams.insert(&c.team_id);
                }
                TeamPulled::Directory(_) => {}
            }
        }
        let patients = if patients.is_empty() {
            HashSet::new()
        } else {
            sqlx::query_scalar::<_, Id>(
                "SELECT id FROM patients WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(json_ids(patients))
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(Uuid::from)
            .collect()
        };
        let teams = sqlx::query_as::<_, (Id, Option<Id>)>(
            "SELECT t.id, (SELECT m.id FROM team_members m
                           WHERE m.team_id = t.id AND m.role = 'primary_physician' LIMIT 1)
             FROM teams t WHERE t.id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_ids(teams))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(team, owner)| (team.0, owner.map(Uuid::from)))
        .collect();
        let entries = sqlx::query_scalar::<_, Id>(
            "SELECT id FROM team_entries WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_ids(entries))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(Uuid::from)
        .collect();
        let our_requests = sqlx::query_scalar::<_, Id>(
            "SELECT e.id FROM team_entries e JOIN team_members m
               ON m.team_id = e.team_id AND m.role = 'primary_physician'
                  AND m.id = e.author_member_id
             WHERE e.kind = 'request' AND e.id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_ids(targets))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(Uuid::from)
        .collect();
        Ok(Known {
            patients,
            teams,
            entries,
            our_requests,
        })
    }
}

pub(crate) async fn apply_team_changes(
    conn: &mut SqliteConnection,
    changes: &[&TeamPulled],
    now: DateTime<Utc>,
) -> StoreResult<TeamApplied> {
    let mut applied = TeamApplied::default();
    if changes.is_empty() {
        return Ok(applied);
    }
    let mut known = Known::look_up(conn, changes).await?;
    // Teams, members and entries in a row are written together, a table at
    // a time (parents first); anything else first writes those waiting (a
    // receipt or a request's state needs its entry).
    let mut waiting = Waiting::default();
    for change in changes {
        if !matches!(
            change,
            TeamPulled::Started { .. } | TeamPulled::Member(_) | TeamPulled::Entry(_)
        ) {
            waiting.write(conn, now).await?;
        }
        match change {
            TeamPulled::Started {
                team_id,
                patient_id,
                started_at,
            } => {
                if !known.patients.contains(patient_id) {
                    applied.skipped += 1;
                    continue;
                }
                waiting.teams.push((*team_id, *patient_id, *started_at));
                known.teams.entry(*team_id).or_insert(None);
            }
            TeamPulled::Member(member) => {
                let Some(owner) = known.teams.get_mut(&member.team_id) else {
                    applied.skipped += 1;
                    continue;
                };
                if member.role.is_owner() {
                    *owner = Some(member.id);
                }
                waiting.members.push(member);
            }
            TeamPulled::Entry(entry) => {
                let Some(owner) = known.teams.get(&entry.team_id).copied() else {
                    applied.skipped += 1;
                    continue;
                };
                let by_other = entry.author_member.is_none() || entry.author_member != owner;
                if by_other && !known.entries.contains(&entry.id) {
                    applied.entries += 1;
                    if entry.kind == EntryKind::Urgent {
                        applied.urgent += 1;
                    }
                    if entry
                        .reply_to
                        .is_some_and(|r| known.our_requests.contains(&r))
                    {
                        applied.replies_to_ours += 1;
                    }
                }
                if entry.kind == EntryKind::Request
                    && entry.reply_to.is_none()
                    && owner.is_some()
                    && entry.author_member == owner
                {
                    known.our_requests.insert(entry.id);
                }
                known.entries.insert(entry.id);
                waiting.entries.push(entry);
            }
            TeamPulled::Receipt {
                entry_id,
                member_id,
                reader,
                read_at,
                acknowledged_at,
            } => {
                if !known.entries.contains(entry_id) {
                    applied.skipped += 1;
                    continue;
                }
                // The server's receipt stands for the ones written here.
                sqlx::query(
                    "DELETE FROM team_receipts WHERE entry_id = ? AND member_id = ? AND pending = 1",
                )
                .bind(Id(*entry_id))
                .bind(Id(*member_id))
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO team_receipts (entry_id, member_id, reader, read_at,
                         acknowledged_at, pending)
                     VALUES (?, ?, ?, ?, ?, 0)
                     ON CONFLICT (entry_id, member_id, reader) DO UPDATE SET
                         read_at = excluded.read_at, acknowledged_at = excluded.acknowledged_at,
                         pending = 0",
                )
                .bind(Id(*entry_id))
                .bind(Id(*member_id))
                .bind(reader)
                .bind(read_at)
                .bind(acknowledged_at)
                .execute(&mut *conn)
                .await?;
            }
            TeamPulled::RequestState { entry_id, state } => {
                let changed = sqlx::query(
                    "UPDATE team_entries SET request_state = ? WHERE id = ? AND kind = 'request'",
                )
                .bind(state.code())
                .bind(Id(*entry_id))
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if changed == 0 {
                    applied.skipped += 1;
                }
            }
            TeamPulled::History {
                team_id,
                change,
                member_id,
                actor,
                at,
            } => {
                if !known.teams.contains_key(team_id) {
                    applied.skipped += 1;
                    continue;
                }
                sqlx::query(
                    "INSERT OR IGNORE INTO team_history (team_id, change, member_id, actor, at)
                     VALUES (?, ?, ?, ?, ?)",
                )
                .bind(Id(*team_id))
                .bind(change)
                .bind(Id(*member_id))
                .bind(actor)
                .bind(at)
                .execute(&mut *conn)
                .await?;
            }
            TeamPulled::Conference(conference) => {
                if !known.teams.contains_key(&conference.team_id) {
                    applied.skipped += 1;
                    continue;
                }
                conferences::apply_pulled(conn, conference, now).await?;
                applied.conferences += 1;
            }
            TeamPulled::Directory(entry) => {
                sqlx::query(
                    "INSERT INTO team_directory (id, name, kind, phone, fax, stopped, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                         phone = excluded.phone, fax = excluded.fax, stopped = excluded.stopped,
                         updated_at = excluded.updated_at",
                )
                .bind(Id(entry.id))
                .bind(&entry.name)
                .bind(OrganisationKind::code(entry.kind))
                .bind(&entry.phone)
                .bind(&entry.fax)
                .bind(entry.stopped)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    waiting.write(conn, now).await?;
    Ok(applied)
}

/// Teams, members and entries of a run of the batch, not yet written, each
/// in feed order.
#[derive(Default)]
struct Waiting<'a> {
    /// (team, patient, started at).
    teams: Vec<(Uuid, Uuid, DateTime<Utc>)>,
    members: Vec<&'a MemberRecord>,
    entries: Vec<&'a EntryRecord>,
}

impl Waiting<'_> {
    /// Writes what waits, parents first: teams, their members, then the
    /// entries and their files' metadata.
    async fn write(&mut self, conn: &mut SqliteConnection, now: DateTime<Utc>) -> StoreResult<()> {
        // A team started here offline is confirmed by the feed; one
        // already held keeps its patient.
        insert_rows(
            conn,
            "INSERT INTO teams (id, patient_id, started_at, confirmed) ",
            &self.teams,
            " ON CONFLICT (id) DO UPDATE SET confirmed = 1, started_at = excluded.started_at
             WHERE teams.patient_id = excluded.patient_id",
            |mut row, (team, patient, started_at)| {
                row.push_bind(Id(*team))
                    .push_bind(Id(*patient))
                    .push_bind(*started_at)
                    .push_bind(true);
            },
        )
        .await?;
        self.teams.clear();
        upsert_members(conn, &self.members, now).await?;
        self.members.clear();
        write_entries(conn, &mut self.entries).await
    }
}

/// Writes the waiting entries and their files' metadata.
async fn write_entries(
    conn: &mut SqliteConnection,
    waiting: &mut Vec<&EntryRecord>,
) -> StoreResult<()> {
    if waiting.is_empty() {
        return Ok(());
    }
    insert_entries(conn, waiting).await?;
    for entry in waiting.drain(..) {
        for (position, a) in entry.attachments.iter().enumerate() {
            // Bytes already held (this clinic's own upload) stay.
            sqlx::query(
                "INSERT INTO team_attachments (id, entry_id, position, name, media_type,
                         size, sha256, uploaded)
                     VALUES (?, ?, ?, ?, ?, ?, ?, 1)
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                         media_type = excluded.media_type, size = excluded.size,
                         sha256 = excluded.sha256, uploaded = 1
                     WHERE team_attachments.entry_id = excluded.entry_id",
            )
            .bind(Id(a.id))
            .bind(Id(entry.id))
            .bind(position as i64)
            .bind(&a.name)
            .bind(&a.media_type)
            .bind(a.size)
            .bind(&a.sha256)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
