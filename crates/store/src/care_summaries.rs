//! 医療・介護連携サマリー: one row per change, never changed or removed
//! (the table's triggers refuse it); the latest is the summary.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::care_summary::CareSummary;
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::pinned_summary::{self, PinnedShare};
use crate::sql::Id;

const CARE_SUMMARY: &str = "care_summary";

/// One version of the summary, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCareSummary {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub summary: CareSummary,
    /// 「医師 佐藤 花子」: role and name as they were.
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Id,
    patient_id: Id,
    problems: String,
    medications: String,
    allergies: String,
    devices: String,
    next_visit: Option<NaiveDate>,
    cautions: String,
    after_hours_phone: String,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

fn into_stored(row: SummaryRow) -> StoreResult<StoredCareSummary> {
    let list = |json: &str| -> StoreResult<Vec<String>> {
        serde_json::from_str(json).map_err(|_| StoreError::Corrupt("care summary"))
    };
    Ok(StoredCareSummary {
        id: row.id.0,
        patient_id: row.patient_id.0,
        summary: CareSummary {
            problems: list(&row.problems)?,
            medications: list(&row.medications)?,
            allergies: row.allergies,
            devices: list(&row.devices)?,
            next_visit: row.next_visit,
            cautions: row.cautions,
            after_hours_phone: row.after_hours_phone,
        },
        recorded_by_name: row.recorded_by_name,
        recorded_at: row.recorded_at,
    })
}

fn json(list: &[String]) -> StoreResult<String> {
    serde_json::to_string(list).map_err(|_| StoreError::Corrupt("care summary"))
}

impl Store {
    /// Stores a new version of the patient's summary, audited as an update
    /// of the patient's summary by `actor`, with the team's pinned summary
    /// queued in the same transaction when it is shared (`shared`).
    pub async fn save_care_summary(
        &self,
        patient_id: Uuid,
        summary: &CareSummary,
        shared: Option<&PinnedShare>,
        actor: &str,
        signature: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredCareSummary> {
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
        sqlx::query(
            "INSERT INTO care_summaries (id, patient_id, problems, medications, allergies,
               devices, next_visit, cautions, after_hours_phone, recorded_by,
               recorded_by_name, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(id))
        .bind(Id(patient_id))
        .bind(json(&summary.problems)?)
        .bind(json(&summary.medications)?)
        .bind(&summary.allergies)
        .bind(json(&summary.devices)?)
        .bind(summary.next_visit)
        .bind(&summary.cautions)
        .bind(&summary.after_hours_phone)
        .bind(actor)
        .bind(signature)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Update,
            CARE_SUMMARY,
            &patient_id.to_string(),
        )
        .await?;
        if let Some(share) = shared {
            pinned_summary::queue(&mut tx, patient_id, share, actor, now).await?;
        }
        tx.commit().await?;
        self.care_summary(patient_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The patient's summary: the latest version, if any.
    pub async fn care_summary(&self, patient_id: Uuid) -> StoreResult<Option<StoredCareSummary>> {
        let row = sqlx::query_as::<_, SummaryRow>(
            "SELECT id, patient_id, problems, medications, allergies, devices, next_visit,
                    cautions, after_hours_phone, recorded_by_name, recorded_at
               FROM care_summaries WHERE patient_id = ?
              ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(Id(patient_id))
        .fetch_optional(&self.pool)
        .await?;
        row.map(into_stored).transpose()
    }
}

impl Store {
    /// Notes in the audit log that the patient's emergency sheet was
    /// printed or saved: it carries the summary and the wishes out of the
    /// clinic on paper.
    pub async fn audit_emergency_sheet(
        &self,
        patient_id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        audit::append(
            &mut conn,
            now,
            actor,
            AuditAction::Print,
            "emergency_sheet",
            &patient_id.to_string(),
        )
        .await
    }
}
