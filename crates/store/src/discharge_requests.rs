//! 退院後の在宅医療の相談 (issue 17), as this clinic holds them: each
//! request as the server's feed last said it (a later change replaces the
//! row), and the answer given here while it waits to be sent. The answer
//! is written with its outbox row (kind `discharge_answer`, the wire's
//! JSON as its payload) and its audit entry in one transaction; the rules
//! were asked by the app (the domain's `check_answer`) before it got here.
//! Where the latest answer sent from here stands (waiting, applied,
//! refused) is read from the outbox, the one record of it.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::discharge_request::{CareNeed, RequestState};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::outbox::{self, OutboxKind};
use crate::sql::Id;

const DISCHARGE_REQUEST: &str = "discharge_request";

/// A request as the server's feed says it (the wire's
/// `WireDischargeRequest` in the store's terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeRequestRecord {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    /// The hospital's name.
    pub hospital: String,
    /// Who sent it (e.g. 北病院 MSW・連携担当者 山本).
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub expected_date: NaiveDate,
    pub reply_by: NaiveDate,
    pub needs: Vec<CareNeed>,
    pub note: String,
    /// As the server stored it (an open request past its day is expired
    /// by the domain's `state_on`).
    pub state: RequestState,
    /// A decline's reason, or what a consult is about.
    pub answer_text: String,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The answer given on this install, kept until the feed's next word on
/// the request once it is no longer waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerGivenHere {
    /// `Accepted`, `Declined` or `Consult`.
    pub state: RequestState,
    pub text: String,
    /// The staff member's name.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Where the latest answer sent from here stands with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerSending {
    /// In the outbox (送信待ち).
    Waiting,
    Applied,
    /// The server's reason, in Japanese, without patient data.
    Refused(String),
}

impl AnswerSending {
    /// From the latest outbox row's state and refusal (none: nothing sent
    /// from here).
    pub(crate) fn from_outbox(
        state: Option<&str>,
        refusal: Option<String>,
    ) -> StoreResult<Option<AnswerSending>> {
        Ok(match state {
            None => None,
            Some("pending") => Some(AnswerSending::Waiting),
            Some("applied") => Some(AnswerSending::Applied),
            Some("refused") => Some(AnswerSending::Refused(refusal.unwrap_or_default())),
            Some(_) => return Err(StoreError::Corrupt("outbox state")),
        })
    }
}

/// A request as the clinic holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldDischargeRequest {
    pub request: DischargeRequestRecord,
    pub patient_name: String,
    pub given_here: Option<AnswerGivenHere>,
    /// The latest answer sent from here, if any was.
    pub sending: Option<AnswerSending>,
}

impl HeldDischargeRequest {
    /// The answer given here that still stands: waiting, or applied and
    /// not yet echoed by the feed (a refused one does not).
    pub fn standing_answer(&self) -> Option<&AnswerGivenHere> {
        self.given_here
            .as_ref()
            .filter(|_| !matches!(self.sending, Some(AnswerSending::Refused(_))))
    }
}

/// The doctor's answer to write: what it says, the state of the request
/// it was checked against (as the feed said it: a change meanwhile
/// refuses the write), and the operation to queue (the wire's JSON).
#[derive(Debug, Clone, Copy)]
pub struct DischargeAnswerWrite<'a> {
    pub request_id: Uuid,
    pub checked_state: RequestState,
    pub answer: &'a AnswerGivenHere,
    pub payload: &'a str,
    pub actor: &'a str,
}

/// The latest answer sent from here for the request `d` (its outbox row).
const LATEST_ANSWER: &str = "FROM sync_outbox o WHERE o.kind = 'discharge_answer'
     AND o.record_id = d.id ORDER BY o.op_seq DESC LIMIT 1";

fn columns() -> String {
    format!(
        "d.id, d.referral_id, d.patient_id, p.name AS patient_name, d.hospital, d.sent_by,
         d.sent_at, d.expected_date, d.reply_by, d.needs, d.note, d.state, d.answer_text,
         d.answered_by, d.answered_at, d.local_answer, d.local_text, d.local_by, d.local_at,
         (SELECT o.state {LATEST_ANSWER}) AS op_state,
         (SELECT o.refusal {LATEST_ANSWER}) AS op_refusal
         FROM discharge_requests d JOIN patients p ON p.id = d.patient_id"
    )
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Id,
    referral_id: Id,
    patient_id: Id,
    patient_name: String,
    hospital: String,
    sent_by: String,
    sent_at: DateTime<Utc>,
    expected_date: NaiveDate,
    reply_by: NaiveDate,
    needs: String,
    note: String,
    state: String,
    answer_text: String,
    answered_by: String,
    answered_at: Option<DateTime<Utc>>,
    local_answer: Option<String>,
    local_text: String,
    local_by: String,
    local_at: Option<DateTime<Utc>>,
    op_state: Option<String>,
    op_refusal: Option<String>,
}

fn state_of(code: &str) -> StoreResult<RequestState> {
    RequestState::from_code(code).ok_or(StoreError::Corrupt("discharge request state"))
}

impl Row {
    fn into_held(self) -> StoreResult<HeldDischargeRequest> {
        let codes: Vec<String> = serde_json::from_str(&self.needs)
            .map_err(|_| StoreError::Corrupt("discharge request needs"))?;
        let needs = codes
            .iter()
            .map(|c| CareNeed::from_code(c).ok_or(StoreError::Corrupt("discharge request need")))
            .collect::<StoreResult<Vec<_>>>()?;
        let given_here = match (self.local_answer, self.local_at) {
            (Some(code), Some(at)) => Some(AnswerGivenHere {
                state: state_of(&code)?,
                text: self.local_text,
                by: self.local_by,
                at,
            }),
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("discharge request answer")),
        };
        let sending = AnswerSending::from_outbox(self.op_state.as_deref(), self.op_refusal)?;
        Ok(HeldDischargeRequest {
            request: DischargeRequestRecord {
                id: self.id.0,
                referral_id: self.referral_id.0,
                patient_id: self.patient_id.0,
                hospital: self.hospital,
                sent_by: self.sent_by,
                sent_at: self.sent_at,
                expected_date: self.expected_date,
                reply_by: self.reply_by,
                needs,
                note: self.note,
                state: state_of(&self.state)?,
                answer_text: self.answer_text,
                answered_by: self.answered_by,
                answered_at: self.answered_at,
            },
            patient_name: self.patient_name,
            given_here,
            sending,
        })
    }
}

impl Store {
    /// The requests that wait for the doctor (the worklist's): open as the
    /// feed says, not past their reply-by day on `today` — or answered
    /// here and not yet echoed by the feed, whatever the day — of patients
    /// not deleted. The nearest reply-by day first.
    pub async fn discharge_requests_waiting(
        &self,
        today: NaiveDate,
    ) -> StoreResult<Vec<HeldDischargeRequest>> {
        let sql = format!(
            "SELECT {} WHERE d.state = 'open' AND (d.reply_by >= ? OR d.local_answer IS NOT NULL)
               AND p.deleted_at IS NULL
             ORDER BY d.reply_by, d.sent_at, d.id",
            columns()
        );
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(today)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Row::into_held).collect()
    }

    /// Every request about the patient, the newest first.
    pub async fn discharge_requests_of_patient(
        &self,
        patient_id: Uuid,
    ) -> StoreResult<Vec<HeldDischargeRequest>> {
        let sql = format!(
            "SELECT {} WHERE d.patient_id = ? ORDER BY d.sent_at DESC, d.id DESC",
            columns()
        );
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Row::into_held).collect()
    }

    /// Every request of the referral's episode, the newest first.
    pub async fn discharge_requests_of_referral(
        &self,
        referral_id: Uuid,
    ) -> StoreResult<Vec<HeldDischargeRequest>> {
        let sql = format!(
            "SELECT {} WHERE d.referral_id = ? ORDER BY d.sent_at DESC, d.id DESC",
            columns()
        );
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(referral_id))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Row::into_held).collect()
    }

    pub async fn discharge_request(&self, id: Uuid) -> StoreResult<HeldDischargeRequest> {
        let sql = format!("SELECT {} WHERE d.id = ?", columns());
        let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row.into_held()
    }

    /// Records the doctor's answer, queues it for the server and audits
    /// it, in one transaction. Refused with `RequestChanged`, writing
    /// nothing, when the feed's state is no longer the one checked or an
    /// answer given here already stands (two clicks, two windows).
    pub async fn answer_discharge_request(
        &self,
        w: &DischargeAnswerWrite<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let found: Option<(Id, String, bool)> = sqlx::query_as(
            "SELECT d.patient_id, d.state,
                    d.local_answer IS NOT NULL AND coalesce((SELECT o.state FROM sync_outbox o
                        WHERE o.kind = 'discharge_answer' AND o.record_id = d.id
                        ORDER BY o.op_seq DESC LIMIT 1), 'applied') <> 'refused'
             FROM discharge_requests d WHERE d.id = ?",
        )
        .bind(Id(w.request_id))
        .fetch_optional(&mut *tx)
        .await?;
        let (patient, state, standing) = found.ok_or(StoreError::NotFound)?;
        if state_of(&state)? != w.checked_state || standing {
            return Err(StoreError::RequestChanged);
        }
        sqlx::query(
            "UPDATE discharge_requests SET local_answer = ?, local_text = ?, local_by = ?,
                 local_at = ?
             WHERE id = ?",
        )
        .bind(w.answer.state.code())
        .bind(&w.answer.text)
        .bind(&w.answer.by)
        .bind(w.answer.at)
        .bind(Id(w.request_id))
        .execute(&mut *tx)
        .await?;
        outbox::enqueue_payload(
            &mut tx,
            OutboxKind::DischargeAnswer,
            w.request_id,
            patient.0,
            w.payload,
            now,
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            w.actor,
            AuditAction::Update,
            DISCHARGE_REQUEST,
            &w.request_id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that the requests were shown with their patient (the
    /// patient's page; the audit log).
    pub async fn audit_discharge_requests_view(
        &self,
        ids: &[Uuid],
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        audit::append_for_each(
            &mut conn,
            now,
            actor,
            AuditAction::View,
            DISCHARGE_REQUEST,
            &ids,
        )
        .await
    }
}

/// Writes the feed's requests in feed order (the caller has left out
/// those of patients this install does not hold): each replaces the row
/// it names, and an answer given here goes with it unless it is still
/// waiting to be sent. How many were new here or changed state.
pub(crate) async fn apply_pulled(
    conn: &mut SqliteConnection,
    requests: &[&DischargeRequestRecord],
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let mut news = 0;
    // Rare (a few a day), so a few statements each.
    for r in requests {
        let before: Option<(Id, String)> =
            sqlx::query_as("SELECT patient_id, state FROM discharge_requests WHERE id = ?")
                .bind(Id(r.id))
                .fetch_optional(&mut *conn)
                .await?;
        match &before {
            // Another patient's request under the same id: never moved.
            Some((patient, _)) if patient.0 != r.patient_id => {
                return Err(StoreError::Corrupt("discharge request of another patient"));
            }
            Some((_, state)) if state == r.state.code() => {}
            _ => news += 1,
        }
        let needs: Vec<&str> = r.needs.iter().map(|n| n.code()).collect();
        let needs = serde_json::to_string(&needs)
            .map_err(|_| StoreError::Corrupt("discharge request needs"))?;
        sqlx::query(
            "INSERT INTO discharge_requests (id, referral_id, patient_id, hospital, sent_by,
                 sent_at, expected_date, reply_by, needs, note, state, answer_text, answered_by,
                 answered_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET referral_id = excluded.referral_id,
                 hospital = excluded.hospital, sent_by = excluded.sent_by,
                 sent_at = excluded.sent_at, expected_date = excluded.expected_date,
                 reply_by = excluded.reply_by, needs = excluded.needs, note = excluded.note,
                 state = excluded.state, answer_text = excluded.answer_text,
                 answered_by = excluded.answered_by, answered_at = excluded.answered_at,
                 updated_at = excluded.updated_at",
        )
        .bind(Id(r.id))
        .bind(Id(r.referral_id))
        .bind(Id(r.patient_id))
        .bind(&r.hospital)
        .bind(&r.sent_by)
        .bind(r.sent_at)
        .bind(r.expected_date)
        .bind(r.reply_by)
        .bind(needs)
        .bind(&r.note)
        .bind(r.state.code())
        .bind(&r.answer_text)
        .bind(&r.answered_by)
        .bind(r.answered_at)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        // The feed has spoken since the answer was sent: what it says
        // stands (the answer, or why the server refused it).
        sqlx::query(
            "UPDATE discharge_requests SET local_answer = NULL, local_text = '', local_by = '',
                 local_at = NULL
             WHERE id = ?1 AND local_answer IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.kind = 'discharge_answer'
                               AND o.record_id = ?1 AND o.state = 'pending')",
        )
        .bind(Id(r.id))
        .execute(&mut *conn)
        .await?;
    }
    Ok(news)
}
