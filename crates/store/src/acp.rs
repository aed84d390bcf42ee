//! ACP (人生会議) records: one row per conversation, never changed or
//! removed (the table's triggers refuse it), so each version stays as it
//! was signed. The current wishes are the latest conversation's.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tsunagu_domain::PatientLife;
use tsunagu_domain::acp::{
    AcpRecord, Participant, ParticipantRole, Place, Surrogate, Treatment, Wish,
};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::pinned_summary::{self, PinnedShare};
use crate::referral_summary::{PATIENT_DIED_SQL, deceased_code, patient_life};
use crate::sql::Id;

const ACP: &str = "acp";

/// One recorded version, signed by who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAcp {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub record: AcpRecord,
    /// The account (the audit's actor).
    pub recorded_by: String,
    /// The signature: role and name as they were (「医師 鈴木 一郎」).
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// A patient whose latest wishes may be due for review: what the
/// domain's `review_due` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpReviewFacts {
    pub patient_id: Uuid,
    pub patient_name: String,
    /// The current record.
    pub acp_id: Uuid,
    pub held_on: NaiveDate,
    /// The last day an episode of this patient's ended in a discharge (or
    /// the return that follows one), from the referral summaries.
    pub last_discharge: Option<NaiveDate>,
    /// Whether a 死亡 is recorded on one of the patient's referrals.
    pub life: PatientLife,
}

#[derive(Serialize, Deserialize)]
struct ParticipantJson {
    role: String,
    name: String,
    relation: String,
}

#[derive(sqlx::FromRow)]
struct AcpRow {
    id: Id,
    patient_id: Id,
    held_on: NaiveDate,
    participants: String,
    values_text: String,
    place_of_care: String,
    place_of_care_note: String,
    place_of_death: String,
    place_of_death_note: String,
    wish_cpr: String,
    wish_ventilation: String,
    wish_tube_feeding: String,
    wish_transfusion: String,
    wish_drip: String,
    wish_admission: String,
    wishes_note: String,
    surrogate_name: Option<String>,
    surrogate_relation: Option<String>,
    surrogate_phone: String,
    notes: String,
    recorded_by: String,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

const ACP_COLUMNS: &str = "id, patient_id, held_on, participants, values_text, place_of_care, \
     place_of_care_note, place_of_death, place_of_death_note, wish_cpr, wish_ventilation, \
     wish_tube_feeding, wish_transfusion, wish_drip, wish_admission, wishes_note, \
     surrogate_name, surrogate_relation, surrogate_phone, notes, recorded_by, \
     recorded_by_name, recorded_at";

/// The wish columns in [`Treatment::ALL`]'s order.
fn wish_columns(row: &AcpRow) -> [&str; 6] {
    [
        &row.wish_cpr,
        &row.wish_ventilation,
        &row.wish_tube_feeding,
        &row.wish_transfusion,
        &row.wish_drip,
        &row.wish_admission,
    ]
}

fn into_stored(row: AcpRow) -> StoreResult<StoredAcp> {
    let corrupt = || StoreError::Corrupt("ACP record");
    let participants: Vec<ParticipantJson> =
        serde_json::from_str(&row.participants).map_err(|_| corrupt())?;
    let participants = participants
        .into_iter()
        .map(|p| {
            Ok(Participant {
                role: ParticipantRole::from_code(&p.role).ok_or_else(corrupt)?,
                name: p.name,
                relation: p.relation,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let wishes = Treatment::ALL
        .into_iter()
        .zip(wish_columns(&row))
        .map(|(t, code)| Wish::from_code(code).map(|w| (t, w)).ok_or_else(corrupt))
        .collect::<StoreResult<Vec<_>>>()?;
    let surrogate = match (row.surrogate_name, row.surrogate_relation) {
        (Some(name), Some(relation)) => Some(Surrogate {
            name,
            relation,
            phone: row.surrogate_phone,
        }),
        _ => None,
    };
    Ok(StoredAcp {
        id: row.id.0,
        patient_id: row.patient_id.0,
        record: AcpRecord {
            held_on: row.held_on,
            participants,
            values: row.values_text,
            place_of_care: Place::from_code(&row.place_of_care).ok_or_else(corrupt)?,
            place_of_care_note: row.place_of_care_note,
            place_of_death: Place::from_code(&row.place_of_death).ok_or_else(corrupt)?,
            place_of_death_note: row.place_of_death_note,
            wishes,
            wishes_note: row.wishes_note,
            surrogate,
            notes: row.notes,
        },
        recorded_by: row.recorded_by,
        recorded_by_name: row.recorded_by_name,
        recorded_at: row.recorded_at,
    })
}

impl Store {
    /// Stores a new version of the patient's wishes, audited as created by
    /// `actor`, with the team's pinned summary queued in the same
    /// transaction when it is shared (`shared`). Each version has an id of
    /// its own: a version is never replaced.
    pub async fn record_acp(
        &self,
        patient_id: Uuid,
        record: &AcpRecord,
        shared: Option<&PinnedShare>,
        actor: &str,
        signature: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredAcp> {
        let participants: Vec<ParticipantJson> = record
            .participants
            .iter()
            .map(|p| ParticipantJson {
                role: p.role.code().to_string(),
                name: p.name.clone(),
                relation: p.relation.clone(),
            })
            .collect();
        let participants =
            serde_json::to_string(&participants).map_err(|_| StoreError::Corrupt("ACP record"))?;
        let id = Uuid::now_v7();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM patients WHERE id = ?)")
            .bind(Id(patient_id))
            .fetch_one(&mut *tx)
            .await?;
        if !known {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        }
        let mut insert = sqlx::query(
            "INSERT INTO acp_records (id, patient_id, held_on, participants, values_text,
               place_of_care, place_of_care_note, place_of_death, place_of_death_note,
               wish_cpr, wish_ventilation, wish_tube_feeding, wish_transfusion, wish_drip,
               wish_admission, wishes_note, surrogate_name, surrogate_relation,
               surrogate_phone, notes, recorded_by, recorded_by_name, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(id))
        .bind(Id(patient_id))
        .bind(record.held_on)
        .bind(participants)
        .bind(&record.values)
        .bind(record.place_of_care.code())
        .bind(&record.place_of_care_note)
        .bind(record.place_of_death.code())
        .bind(&record.place_of_death_note);
        for treatment in Treatment::ALL {
            insert = insert.bind(record.wish(treatment).code());
        }
        insert
            .bind(&record.wishes_note)
            .bind(record.surrogate.as_ref().map(|s| s.name.clone()))
            .bind(record.surrogate.as_ref().map(|s| s.relation.clone()))
            .bind(record.surrogate.as_ref().map_or("", |s| s.phone.as_str()))
            .bind(&record.notes)
            .bind(actor)
            .bind(signature)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Create,
            ACP,
            &id.to_string(),
        )
        .await?;
        if let Some(share) = shared {
            pinned_summary::queue(&mut tx, patient_id, share, actor, now).await?;
        }
        tx.commit().await?;
        self.acp_record(id).await
    }

    /// Notes in the audit log that a 人生会議 version left the clinic as a
    /// FHIR Consent: printed, like the emergency sheet that carries it.
    pub async fn audit_acp_fhir(
        &self,
        id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        audit::append(
            &mut conn,
            now,
            actor,
            AuditAction::Print,
            "acp_fhir",
            &id.to_string(),
        )
        .await
    }

    pub async fn acp_record(&self, id: Uuid) -> StoreResult<StoredAcp> {
        let sql = format!("SELECT {ACP_COLUMNS} FROM acp_records WHERE id = ?");
        let row = sqlx::query_as::<_, AcpRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(id))
            .fetch_one(&self.pool)
            .await?;
        into_stored(row)
    }

    /// The patient's versions, the current one (latest conversation)
    /// first.
    pub async fn acp_records(&self, patient_id: Uuid) -> StoreResult<Vec<StoredAcp>> {
        let sql = format!(
            "SELECT {ACP_COLUMNS} FROM acp_records WHERE patient_id = ?
             ORDER BY held_on DESC, recorded_at DESC, id DESC"
        );
        sqlx::query_as::<_, AcpRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(into_stored)
            .collect()
    }

    /// Every patient (not deleted) with wishes recorded: the current
    /// record's day and the last discharge, for the review reminder.
    pub async fn acp_review_facts(&self) -> StoreResult<Vec<AcpReviewFacts>> {
        self.review_facts_where(None).await
    }

    /// The same facts of one patient (none: no wishes recorded), for the
    /// patient's page.
    pub async fn acp_review_facts_of(
        &self,
        patient_id: Uuid,
    ) -> StoreResult<Option<AcpReviewFacts>> {
        Ok(self.review_facts_where(Some(patient_id)).await?.pop())
    }

    async fn review_facts_where(
        &self,
        patient_id: Option<Uuid>,
    ) -> StoreResult<Vec<AcpReviewFacts>> {
        let sql = format!(
            "WITH current AS (
               SELECT patient_id, id, held_on,
                      row_number() OVER (PARTITION BY patient_id
                        ORDER BY held_on DESC, recorded_at DESC, id DESC) AS n
                 FROM acp_records)
             SELECT p.id, p.name, c.id, c.held_on,
                    (SELECT max(s.last_news) FROM referral_summaries s
                      WHERE s.patient_id = p.id AND s.status IN ('discharged', 'returned')),
                    {PATIENT_DIED_SQL}
               FROM current c JOIN patients p ON p.id = c.patient_id
              WHERE c.n = 1 AND p.deleted_at IS NULL AND (?2 IS NULL OR p.id = ?2)
              ORDER BY p.id"
        );
        let rows: Vec<(Id, String, Id, NaiveDate, Option<NaiveDate>, bool)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(deceased_code())
                .bind(patient_id.map(Id))
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(
                |(patient_id, patient_name, acp_id, held_on, last_discharge, died)| {
                    AcpReviewFacts {
                        patient_id: patient_id.0,
                        patient_name,
                        acp_id: acp_id.0,
                        held_on,
                        last_discharge,
                        life: patient_life(died),
                    }
                },
            )
            .collect())
    }
}

#[cfg(test)]
mod tests;
