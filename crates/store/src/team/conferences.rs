//! 退院時カンファレンス (issue 17), as this clinic holds them: each
//! conference as the server's feed last said it (a later change replaces
//! the row and its invitees), or as set here while its operation waits in
//! the outbox; and the clinic's own answer and calling off, given here,
//! beside the feed's word until the feed speaks again once they no longer
//! wait. Every write is one transaction with its team operation (kind
//! `team`) and its audit entry; the rules (the domain's
//! `team::conference`) were asked by the app before it got here. Where
//! each operation sent from here stands (waiting, applied, refused) is
//! read from the outbox, the one record of it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::team::conference::{Attendance, ConferenceState};
use uuid::Uuid;

use super::{TeamWrite, finish, patient_of};
use crate::Store;
use crate::audit::AuditAction;
use crate::batch::insert_rows;
use crate::discharge_requests::AnswerSending;
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

/// A conference as the feed says it (the wire's `WireConference` in the
/// store's terms), or as set here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceRecord {
    pub id: Uuid,
    pub team_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    /// A web-meeting address, or empty.
    pub link: String,
    pub note: String,
    pub state: ConferenceState,
    pub organiser_member: Uuid,
    /// E.g. 北病院 MSW・連携担当者 山本.
    pub organiser: String,
    /// In the order they were asked.
    pub invitees: Vec<InviteeRecord>,
    /// The timeline entry that keeps its minutes.
    pub minutes_entry: Option<Uuid>,
    pub scheduled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteeRecord {
    pub member_id: Uuid,
    pub attendance: Attendance,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The clinic's answer given here (出席, 欠席 or オンライン).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceGivenHere {
    pub attendance: Attendance,
    /// The staff member's name.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A conference as the clinic holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldConference {
    pub conference: ConferenceRecord,
    /// The feed has brought it (else it was set here and not yet echoed).
    pub confirmed: bool,
    /// Where its setting, sent from here, stands; `None` for one set
    /// elsewhere, or set here and held back (consent withdrawn).
    pub scheduling: Option<AnswerSending>,
    pub answer_here: Option<AttendanceGivenHere>,
    /// Where the latest answer sent from here stands.
    pub answer_sending: Option<AnswerSending>,
    /// When it was called off here.
    pub cancelled_here: Option<DateTime<Utc>>,
    pub cancel_sending: Option<AnswerSending>,
}

impl HeldConference {
    /// The answer given here that still stands: waiting, or applied and
    /// not yet echoed by the feed (a refused one does not).
    pub fn standing_answer(&self) -> Option<&AttendanceGivenHere> {
        self.answer_here
            .as_ref()
            .filter(|_| !matches!(self.answer_sending, Some(AnswerSending::Refused(_))))
    }

    /// Called off here, and the server has not refused it.
    pub fn cancel_stands(&self) -> bool {
        self.cancelled_here.is_some()
            && !matches!(self.cancel_sending, Some(AnswerSending::Refused(_)))
    }
}

/// The latest team operation about `record` (an expression naming it).
fn latest(record: &str, column: &str) -> String {
    format!(
        "(SELECT o.{column} FROM sync_outbox o WHERE o.kind = 'team' AND o.record_id = {record}
          ORDER BY o.op_seq DESC LIMIT 1)"
    )
}

fn columns() -> String {
    format!(
        "c.id, c.team_id, c.starts_at, c.place, c.link, c.note, c.state, c.organiser_member_id,
         c.organiser, c.minutes_entry_id, c.scheduled_at, c.confirmed, c.local_attendance,
         c.local_answered_by, c.local_answered_at, c.local_cancelled_at,
         {} AS schedule_state, {} AS schedule_refusal,
         {} AS answer_state, {} AS answer_refusal,
         {} AS cancel_state, {} AS cancel_refusal
         FROM team_conferences c",
        latest("c.id", "state"),
        latest("c.id", "refusal"),
        latest("c.answer_op", "state"),
        latest("c.answer_op", "refusal"),
        latest("c.cancel_op", "state"),
        latest("c.cancel_op", "refusal"),
    )
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Id,
    team_id: Id,
    starts_at: DateTime<Utc>,
    place: String,
    link: String,
    note: String,
    state: String,
    organiser_member_id: Id,
    organiser: String,
    minutes_entry_id: Option<Id>,
    scheduled_at: DateTime<Utc>,
    confirmed: bool,
    local_attendance: Option<String>,
    local_answered_by: String,
    local_answered_at: Option<DateTime<Utc>>,
    local_cancelled_at: Option<DateTime<Utc>>,
    schedule_state: Option<String>,
    schedule_refusal: Option<String>,
    answer_state: Option<String>,
    answer_refusal: Option<String>,
    cancel_state: Option<String>,
    cancel_refusal: Option<String>,
}

#[derive(sqlx::FromRow)]
struct InviteeRow {
    conference_id: Id,
    member_id: Id,
    attendance: String,
    answered_by: String,
    answered_at: Option<DateTime<Utc>>,
}

fn attendance_of(code: &str) -> StoreResult<Attendance> {
    Attendance::from_code(code).ok_or(StoreError::Corrupt("conference attendance"))
}

impl Row {
    fn into_held(self, invitees: Vec<InviteeRecord>) -> StoreResult<HeldConference> {
        let answer_here = match (self.local_attendance, self.local_answered_at) {
            (Some(code), Some(at)) => Some(AttendanceGivenHere {
                attendance: attendance_of(&code)?,
                by: self.local_answered_by,
                at,
            }),
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("conference answer")),
        };
        Ok(HeldConference {
            conference: ConferenceRecord {
                id: self.id.0,
                team_id: self.team_id.0,
                starts_at: self.starts_at,
                place: self.place,
                link: self.link,
                note: self.note,
                state: ConferenceState::from_code(&self.state)
                    .ok_or(StoreError::Corrupt("conference state"))?,
                organiser_member: self.organiser_member_id.0,
                organiser: self.organiser,
                invitees,
                minutes_entry: self.minutes_entry_id.map(Uuid::from),
                scheduled_at: self.scheduled_at,
            },
            confirmed: self.confirmed,
            scheduling: AnswerSending::from_outbox(
                self.schedule_state.as_deref(),
                self.schedule_refusal,
            )?,
            answer_here,
            answer_sending: AnswerSending::from_outbox(
                self.answer_state.as_deref(),
                self.answer_refusal,
            )?,
            cancelled_here: self.local_cancelled_at,
            cancel_sending: AnswerSending::from_outbox(
                self.cancel_state.as_deref(),
                self.cancel_refusal,
            )?,
        })
    }
}

impl Store {
    /// The team's conferences, the earliest first.
    pub async fn team_conferences(&self, team_id: Uuid) -> StoreResult<Vec<HeldConference>> {
        let sql = format!(
            "SELECT {} WHERE c.team_id = ? ORDER BY c.starts_at, c.id",
            columns()
        );
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(team_id))
            .fetch_all(&self.pool)
            .await?;
        let invitees: Vec<InviteeRow> = sqlx::query_as(
            "SELECT i.conference_id, i.member_id, i.attendance, i.answered_by, i.answered_at
             FROM team_conference_invitees i
             JOIN team_conferences c ON c.id = i.conference_id
             WHERE c.team_id = ? ORDER BY i.conference_id, i.position",
        )
        .bind(Id(team_id))
        .fetch_all(&self.pool)
        .await?;
        let mut by_conference: HashMap<Uuid, Vec<InviteeRecord>> = HashMap::new();
        for i in invitees {
            by_conference
                .entry(i.conference_id.0)
                .or_default()
                .push(InviteeRecord {
                    member_id: i.member_id.0,
                    attendance: attendance_of(&i.attendance)?,
                    answered_by: i.answered_by,
                    answered_at: i.answered_at,
                });
        }
        rows.into_iter()
            .map(|row| {
                let invitees = by_conference.remove(&row.id.0).unwrap_or_default();
                row.into_held(invitees)
            })
            .collect()
    }

    pub async fn team_conference(&self, id: Uuid) -> StoreResult<HeldConference> {
        let team: Id = sqlx::query_scalar("SELECT team_id FROM team_conferences WHERE id = ?")
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.team_conferences(team.0)
            .await?
            .into_iter()
            .find(|c| c.conference.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// A conference set here: kept (not yet confirmed) with its invitees,
    /// queued and audited together.
    pub async fn schedule_conference(
        &self,
        conference: &ConferenceRecord,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let patient = patient_of(&mut tx, conference.team_id).await?;
        upsert(&mut tx, conference, false, w.now).await?;
        finish(&mut tx, conference.team_id, patient, w, AuditAction::Create).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The clinic's answer given here, with its operation (whose
    /// `record_id` names it) and audit entry. A later answer replaces an
    /// earlier one; the server applies them in order.
    pub async fn answer_conference(
        &self,
        conference_id: Uuid,
        answer: &AttendanceGivenHere,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let team = team_of(&mut tx, conference_id).await?;
        let patient = patient_of(&mut tx, team).await?;
        sqlx::query(
            "UPDATE team_conferences SET local_attendance = ?, local_answered_by = ?,
                 local_answered_at = ?, answer_op = ?
             WHERE id = ?",
        )
        .bind(answer.attendance.code())
        .bind(&answer.by)
        .bind(answer.at)
        .bind(w.operation.map(|op| Id(op.record_id)))
        .bind(Id(conference_id))
        .execute(&mut *tx)
        .await?;
        finish(&mut tx, team, patient, w, AuditAction::Update).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A conference called off here, with its operation (whose
    /// `record_id` names it) and audit entry. Refused with
    /// `RequestChanged`, writing nothing, when a calling off given here
    /// already stands (two clicks, two windows).
    pub async fn cancel_conference(
        &self,
        conference_id: Uuid,
        w: &TeamWrite<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let team = team_of(&mut tx, conference_id).await?;
        let patient = patient_of(&mut tx, team).await?;
        let sql = format!(
            "SELECT c.local_cancelled_at IS NOT NULL
                    AND coalesce({}, 'applied') <> 'refused'
             FROM team_conferences c WHERE c.id = ?",
            latest("c.cancel_op", "state")
        );
        let standing: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(Id(conference_id))
            .fetch_one(&mut *tx)
            .await?;
        if standing {
            return Err(StoreError::RequestChanged);
        }
        sqlx::query(
            "UPDATE team_conferences SET local_cancelled_at = ?, cancel_op = ? WHERE id = ?",
        )
        .bind(w.now)
        .bind(w.operation.map(|op| Id(op.record_id)))
        .bind(Id(conference_id))
        .execute(&mut *tx)
        .await?;
        finish(&mut tx, team, patient, w, AuditAction::Update).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn team_of(conn: &mut SqliteConnection, conference: Uuid) -> StoreResult<Uuid> {
    let team: Id = sqlx::query_scalar("SELECT team_id FROM team_conferences WHERE id = ?")
        .bind(Id(conference))
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(team.0)
}

/// Writes the conference and its invitees as `c` says (the row set here,
/// or the feed's copy, which confirms it).
async fn upsert(
    conn: &mut SqliteConnection,
    c: &ConferenceRecord,
    confirmed: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let held: Option<Id> = sqlx::query_scalar("SELECT team_id FROM team_conferences WHERE id = ?")
        .bind(Id(c.id))
        .fetch_optional(&mut *conn)
        .await?;
    // Another team's conference under the same id: never moved.
    if held.is_some_and(|team| team.0 != c.team_id) {
        return Err(StoreError::Corrupt("conference of another team"));
    }
    sqlx::query(
        "INSERT INTO team_conferences (id, team_id, starts_at, place, link, note, state,
             organiser_member_id, organiser, minutes_entry_id, scheduled_at, confirmed,
             updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET starts_at = excluded.starts_at,
             place = excluded.place, link = excluded.link, note = excluded.note,
             state = excluded.state, organiser_member_id = excluded.organiser_member_id,
             organiser = excluded.organiser, minutes_entry_id = excluded.minutes_entry_id,
             scheduled_at = excluded.scheduled_at,
             confirmed = max(team_conferences.confirmed, excluded.confirmed),
             updated_at = excluded.updated_at",
    )
    .bind(Id(c.id))
    .bind(Id(c.team_id))
    .bind(c.starts_at)
    .bind(&c.place)
    .bind(&c.link)
    .bind(&c.note)
    .bind(c.state.code())
    .bind(Id(c.organiser_member))
    .bind(&c.organiser)
    .bind(c.minutes_entry.map(Id))
    .bind(c.scheduled_at)
    .bind(confirmed)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM team_conference_invitees WHERE conference_id = ?")
        .bind(Id(c.id))
        .execute(&mut *conn)
        .await?;
    let invitees: Vec<(usize, &InviteeRecord)> = c.invitees.iter().enumerate().collect();
    insert_rows(
        conn,
        "INSERT OR REPLACE INTO team_conference_invitees (conference_id, member_id, position,
             attendance, answered_by, answered_at) ",
        &invitees,
        "",
        |mut row, (position, i)| {
            row.push_bind(Id(c.id))
                .push_bind(Id(i.member_id))
                .push_bind(*position as i64)
                .push_bind(i.attendance.code())
                .push_bind(i.answered_by.clone())
                .push_bind(i.answered_at);
        },
    )
    .await
}

/// The feed's copy of a conference (its team is held here): it replaces
/// the row and its invitees, and the answer and calling off given here go
/// with it once their operations no longer wait (the feed says what the
/// server made of them).
pub(super) async fn apply_pulled(
    conn: &mut SqliteConnection,
    c: &ConferenceRecord,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    upsert(conn, c, true, now).await?;
    for (cleared, at, op) in [
        (
            "local_attendance = NULL, local_answered_by = '', local_answered_at = NULL",
            "local_answered_at",
            "answer_op",
        ),
        (
            "local_cancelled_at = NULL",
            "local_cancelled_at",
            "cancel_op",
        ),
    ] {
        let sql = format!(
            "UPDATE team_conferences SET {cleared}
             WHERE id = ?1 AND {at} IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.kind = 'team'
                               AND o.record_id = team_conferences.{op} AND o.state = 'pending')"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(Id(c.id))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
