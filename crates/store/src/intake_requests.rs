//! 受入相談 (issue 18), as this clinic holds them: the requests it sent to
//! organisations found in the directory and those it was asked, each as
//! the server's feed last said it (a later change replaces the row), with
//! the step taken here (an answer, a withdrawal) while it waits to be
//! sent. A request sent from here keeps the patient it was about, on this
//! PC only: the request itself is anonymous. Every step is written with
//! its outbox row (kind `intake`, the wire's operation as JSON) and its
//! audit entry in one transaction; the rules were asked by the app (the
//! domain's `check_intake`, `check_answer`, `check_withdraw`) before it got
//! here. Where the latest operation about a request stands (waiting,
//! applied, refused) is read from the outbox, the one record of it.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::Sex;
use tsunagu_domain::directory::Offer;
use tsunagu_domain::intake::IntakeState;
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::discharge_requests::AnswerSending;
use crate::error::{StoreError, StoreResult};
use crate::outbox::{self, OutboxKind};
use crate::sql::Id;

const INTAKE_REQUEST: &str = "intake_request";

/// A request as the server's feed says it (the wire's `WireIntakeRequest`
/// in the store's terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRequestRecord {
    pub id: Uuid,
    pub from_org: Uuid,
    pub from_name: String,
    pub from_phone: String,
    pub to_org: Uuid,
    pub to_name: String,
    /// The domain's `OrganisationKind` code.
    pub to_kind: String,
    pub age: Option<u8>,
    pub sex: Option<Sex>,
    pub municipality: String,
    pub needs: Vec<Offer>,
    pub start_on: Option<NaiveDate>,
    pub summary: String,
    pub state: IntakeState,
    /// Who asked, e.g. みどり診療所 医師 佐藤.
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub answer_text: String,
    pub answered_by: String,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The step taken on this install (an answer, or the withdrawal), kept
/// until the feed's next word on the request once it is no longer waiting
/// to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeStepHere {
    /// `Accepted`, `Declined`, `Consult` or `Withdrawn`.
    pub state: IntakeState,
    pub text: String,
    /// The staff member's name.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A request as the clinic holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldIntakeRequest {
    pub request: IntakeRequestRecord,
    /// This clinic asked it (else it was asked of this clinic).
    pub sent_by_us: bool,
    /// The patient it was sent about, on the install that sent it.
    pub patient: Option<(Uuid, String)>,
    pub step_here: Option<IntakeStepHere>,
    /// The latest operation about it from here, if any.
    pub sending: Option<AnswerSending>,
}

impl HeldIntakeRequest {
    /// The step taken here that still stands: waiting, or applied and not
    /// yet echoed by the feed (a refused one does not).
    pub fn standing_step(&self) -> Option<&IntakeStepHere> {
        self.step_here
            .as_ref()
            .filter(|_| !matches!(self.sending, Some(AnswerSending::Refused(_))))
    }
}

/// A request sent from here: the request as it will stand until the feed
/// says it, the patient it is about (kept here only), and the operation
/// to queue (the wire's `OpBody` as JSON).
#[derive(Debug, Clone, Copy)]
pub struct IntakeSendWrite<'a> {
    pub request: &'a IntakeRequestRecord,
    pub patient_id: Option<Uuid>,
    pub payload: &'a str,
    pub actor: &'a str,
}

/// An answer or a withdrawal to write: the state of the request it was
/// checked against (a change meanwhile refuses the write), and the
/// operation to queue.
#[derive(Debug, Clone, Copy)]
pub struct IntakeStepWrite<'a> {
    pub request_id: Uuid,
    pub checked_state: IntakeState,
    pub step: &'a IntakeStepHere,
    pub payload: &'a str,
    pub actor: &'a str,
}

/// The latest operation from here about the request `i`.
const LATEST_OP: &str = "FROM sync_outbox o WHERE o.kind = 'intake'
     AND o.record_id = i.id ORDER BY o.op_seq DESC LIMIT 1";

fn columns() -> String {
    format!(
        "i.id, i.from_org, i.from_name, i.from_phone, i.to_org, i.to_name, i.to_kind, i.age,
         i.sex, i.municipality, i.needs, i.start_on, i.summary, i.state, i.sent_by, i.sent_at,
         i.answer_text, i.answered_by, i.closed_at, i.patient_id, p.name AS patient_name,
         i.from_org = (SELECT d.organisation_id FROM sync_device d WHERE d.id = 1) AS sent_by_us,
         i.local_state, i.local_text, i.local_by, i.local_at,
         (SELECT o.state {LATEST_OP}) AS op_state,
         (SELECT o.refusal {LATEST_OP}) AS op_refusal
         FROM intake_requests i LEFT JOIN patients p ON p.id = i.patient_id"
    )
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Id,
    from_org: Id,
    from_name: String,
    from_phone: String,
    to_org: Id,
    to_name: String,
    to_kind: String,
    age: Option<i64>,
    sex: Option<String>,
    municipality: String,
    needs: String,
    start_on: Option<NaiveDate>,
    summary: String,
    state: String,
    sent_by: String,
    sent_at: DateTime<Utc>,
    answer_text: String,
    answered_by: String,
    closed_at: Option<DateTime<Utc>>,
    patient_id: Option<Id>,
    patient_name: Option<String>,
    sent_by_us: Option<bool>,
    local_state: Option<String>,
    local_text: String,
    local_by: String,
    local_at: Option<DateTime<Utc>>,
    op_state: Option<String>,
    op_refusal: Option<String>,
}

fn state_of(code: &str) -> StoreResult<IntakeState> {
    IntakeState::from_code(code).ok_or(StoreError::Corrupt("intake request state"))
}

impl Row {
    fn into_held(self) -> StoreResult<HeldIntakeRequest> {
        let codes: Vec<String> = serde_json::from_str(&self.needs)
            .map_err(|_| StoreError::Corrupt("intake request needs"))?;
        let needs = codes
            .iter()
            .map(|c| Offer::from_code(c).ok_or(StoreError::Corrupt("intake request need")))
            .collect::<StoreResult<Vec<_>>>()?;
        let step_here = match (self.local_state, self.local_at) {
            (Some(code), Some(at)) => Some(IntakeStepHere {
                state: state_of(&code)?,
                text: self.local_text,
                by: self.local_by,
                at,
            }),
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("intake request step")),
        };
        let sending = AnswerSending::from_outbox(self.op_state.as_deref(), self.op_refusal)?;
        let age = match self.age {
            None => None,
            Some(age) => {
                Some(u8::try_from(age).map_err(|_| StoreError::Corrupt("intake request age"))?)
            }
        };
        let sex = match self.sex.as_deref() {
            None => None,
            Some(code) => {
                Some(Sex::from_code(code).ok_or(StoreError::Corrupt("intake request sex"))?)
            }
        };
        Ok(HeldIntakeRequest {
            request: IntakeRequestRecord {
                id: self.id.0,
                from_org: self.from_org.0,
                from_name: self.from_name,
                from_phone: self.from_phone,
                to_org: self.to_org.0,
                to_name: self.to_name,
                to_kind: self.to_kind,
                age,
                sex,
                municipality: self.municipality,
                needs,
                start_on: self.start_on,
                summary: self.summary,
                state: state_of(&self.state)?,
                sent_by: self.sent_by,
                sent_at: self.sent_at,
                answer_text: self.answer_text,
                answered_by: self.answered_by,
                closed_at: self.closed_at,
            },
            sent_by_us: self.sent_by_us.unwrap_or(false),
            patient: self
                .patient_id
                .map(|id| (id.0, self.patient_name.unwrap_or_default())),
            step_here,
            sending,
        })
    }
}

fn needs_json(needs: &[Offer]) -> StoreResult<String> {
    let codes: Vec<&str> = needs.iter().map(|n| n.code()).collect();
    serde_json::to_string(&codes).map_err(|_| StoreError::Corrupt("intake request needs"))
}

impl Store {
    /// The organisation a request would go to, as the directory's copy
    /// lists it: its name and kind's code, if listed and not stopped.
    pub async fn intake_target(&self, org: Uuid) -> StoreResult<Option<(String, String)>> {
        Ok(
            sqlx::query_as("SELECT name, kind FROM team_directory WHERE id = ? AND stopped = 0")
                .bind(Id(org))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every request sent or asked, the newest first.
    pub async fn intake_requests(&self) -> StoreResult<Vec<HeldIntakeRequest>> {
        let sql = format!("SELECT {} ORDER BY i.sent_at DESC, i.id DESC", columns());
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Row::into_held).collect()
    }

    /// The requests asked of this clinic that wait for its answer: open as
    /// the feed says and not answered here; the oldest first.
    pub async fn intake_requests_to_answer(&self) -> StoreResult<Vec<HeldIntakeRequest>> {
        let sql = format!(
            "SELECT {} WHERE i.state = 'open' AND i.local_state IS NULL
               AND i.to_org = (SELECT d.organisation_id FROM sync_device d WHERE d.id = 1)
             ORDER BY i.sent_at, i.id",
            columns()
        );
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Row::into_held).collect()
    }

    pub async fn intake_request(&self, id: Uuid) -> StoreResult<HeldIntakeRequest> {
        let sql = format!("SELECT {} WHERE i.id = ?", columns());
        let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row.into_held()
    }

    /// Records a request sent from here, queues it and audits it, in one
    /// transaction.
    pub async fn send_intake_request(
        &self,
        w: &IntakeSendWrite<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let r = w.request;
        sqlx::query(
            "INSERT INTO intake_requests (id, from_org, from_name, from_phone, to_org, to_name,
                 to_kind, age, sex, municipality, needs, start_on, summary, state, sent_by,
                 sent_at, answer_text, answered_by, closed_at, patient_id, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(r.id))
        .bind(Id(r.from_org))
        .bind(&r.from_name)
        .bind(&r.from_phone)
        .bind(Id(r.to_org))
        .bind(&r.to_name)
        .bind(&r.to_kind)
        .bind(r.age.map(i64::from))
        .bind(r.sex.map(Sex::code))
        .bind(&r.municipality)
        .bind(needs_json(&r.needs)?)
        .bind(r.start_on)
        .bind(&r.summary)
        .bind(r.state.code())
        .bind(&r.sent_by)
        .bind(r.sent_at)
        .bind(&r.answer_text)
        .bind(&r.answered_by)
        .bind(r.closed_at)
        .bind(w.patient_id.map(Id))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        outbox::enqueue_payload(
            &mut tx,
            OutboxKind::Intake,
            r.id,
            w.patient_id.unwrap_or(Uuid::nil()),
            w.payload,
            now,
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            w.actor,
            AuditAction::Create,
            INTAKE_REQUEST,
            &r.id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an answer or a withdrawal given here, queues it and audits
    /// it, in one transaction. Refused with `RequestChanged`, writing
    /// nothing, when the feed's state is no longer the one checked or a
    /// step taken here already stands (two clicks, two windows).
    pub async fn step_intake_request(
        &self,
        w: &IntakeStepWrite<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let found: Option<(Option<Id>, String, bool)> = sqlx::query_as(
            "SELECT i.patient_id, i.state,
                    i.local_state IS NOT NULL AND coalesce((SELECT o.state FROM sync_outbox o
                        WHERE o.kind = 'intake' AND o.record_id = i.id
                        ORDER BY o.op_seq DESC LIMIT 1), 'applied') <> 'refused'
             FROM intake_requests i WHERE i.id = ?",
        )
        .bind(Id(w.request_id))
        .fetch_optional(&mut *tx)
        .await?;
        let (patient, state, standing) = found.ok_or(StoreError::NotFound)?;
        if state_of(&state)? != w.checked_state || standing {
            return Err(StoreError::RequestChanged);
        }
        sqlx::query(
            "UPDATE intake_requests SET local_state = ?, local_text = ?, local_by = ?,
                 local_at = ?
             WHERE id = ?",
        )
        .bind(w.step.state.code())
        .bind(&w.step.text)
        .bind(&w.step.by)
        .bind(w.step.at)
        .bind(Id(w.request_id))
        .execute(&mut *tx)
        .await?;
        outbox::enqueue_payload(
            &mut tx,
            OutboxKind::Intake,
            w.request_id,
            patient.map_or(Uuid::nil(), |p| p.0),
            w.payload,
            now,
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            w.actor,
            AuditAction::Update,
            INTAKE_REQUEST,
            &w.request_id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Writes the feed's requests in feed order: each replaces the row it
/// names (keeping the patient a request sent from here was about), and a
/// step taken here goes with it unless it is still waiting to be sent.
/// How many were new here or changed state.
pub(crate) async fn apply_pulled(
    conn: &mut SqliteConnection,
    requests: &[&IntakeRequestRecord],
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let mut news = 0;
    // Rare (a few a day), so a few statements each.
    for r in requests {
        let before: Option<String> =
            sqlx::query_scalar("SELECT state FROM intake_requests WHERE id = ?")
                .bind(Id(r.id))
                .fetch_optional(&mut *conn)
                .await?;
        if before.as_deref() != Some(r.state.code()) {
            news += 1;
        }
        sqlx::query(
            "INSERT INTO intake_requests (id, from_org, from_name, from_phone, to_org, to_name,
                 to_kind, age, sex, municipality, needs, start_on, summary, state, sent_by,
                 sent_at, answer_text, answered_by, closed_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET from_org = excluded.from_org,
                 from_name = excluded.from_name, from_phone = excluded.from_phone,
                 to_org = excluded.to_org, to_name = excluded.to_name,
                 to_kind = excluded.to_kind, age = excluded.age, sex = excluded.sex,
                 municipality = excluded.municipality, needs = excluded.needs,
                 start_on = excluded.start_on, summary = excluded.summary,
                 state = excluded.state, sent_by = excluded.sent_by, sent_at = excluded.sent_at,
                 answer_text = excluded.answer_text, answered_by = excluded.answered_by,
                 closed_at = excluded.closed_at, updated_at = excluded.updated_at",
        )
        .bind(Id(r.id))
        .bind(Id(r.from_org))
        .bind(&r.from_name)
        .bind(&r.from_phone)
        .bind(Id(r.to_org))
        .bind(&r.to_name)
        .bind(&r.to_kind)
        .bind(r.age.map(i64::from))
        .bind(r.sex.map(Sex::code))
        .bind(&r.municipality)
        .bind(needs_json(&r.needs)?)
        .bind(r.start_on)
        .bind(&r.summary)
        .bind(r.state.code())
        .bind(&r.sent_by)
        .bind(r.sent_at)
        .bind(&r.answer_text)
        .bind(&r.answered_by)
        .bind(r.closed_at)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        // The feed has spoken since the step was sent: what it says stands
        // (the answer, or why the server refused it).
        sqlx::query(
            "UPDATE intake_requests SET local_state = NULL, local_text = '', local_by = '',
                 local_at = NULL
             WHERE id = ?1 AND local_state IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.kind = 'intake'
                               AND o.record_id = ?1 AND o.state = 'pending')",
        )
        .bind(Id(r.id))
        .execute(&mut *conn)
        .await?;
    }
    Ok(news)
}
