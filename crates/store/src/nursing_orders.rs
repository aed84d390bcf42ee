//! 訪問看護指示書 (issue 19, ADR 0034): orders being written (the form as
//! typed, saved as the doctor types) and issued orders, which are never
//! changed or removed (the table's triggers refuse it) — each keeps the
//! PDF the station was given, its SHA-256 and the order in the form's
//! shape to renew it from.

mod draft_json;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::PatientLife;
use tsunagu_domain::nursing_order::{NursingOrderDraft, OrderKind};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::referral_summary::{PATIENT_DIED_SQL, deceased_code, patient_life};
use crate::sql::Id;

const NURSING_ORDER: &str = "nursing_order";

/// An order being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrderDraftRecord {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: OrderKind,
    /// What the doctor typed, valid or not.
    pub draft: NursingOrderDraft,
    /// The team member (a visiting nurse station) it is addressed to;
    /// `None` for a station typed by name.
    pub station_member_id: Option<Uuid>,
    /// The issued order this one renews.
    pub renews: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An order to store as issued: checked and rendered by the app.
#[derive(Debug, Clone)]
pub struct NewNursingOrder {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: OrderKind,
    /// The addressee as printed (…殿).
    pub station: String,
    pub station_member_id: Option<Uuid>,
    /// Who the order is for, for "the latest order per patient and
    /// station" (`member:<id>` or `name:<name>`).
    pub station_key: String,
    pub renews: Option<Uuid>,
    /// 指示日
    pub issued_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The checked order in the form's shape (`nursing_order::to_draft`).
    pub draft: NursingOrderDraft,
    pub pdf: Vec<u8>,
    pub sha256: String,
}

/// An issued order without its PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNursingOrder {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: OrderKind,
    pub station: String,
    pub station_member_id: Option<Uuid>,
    pub station_key: String,
    pub renews: Option<Uuid>,
    /// The order issued as this one's renewal, if any.
    pub renewed_by: Option<Uuid>,
    /// The doctor's decision not to renew it, if made.
    pub ending: Option<OrderEnding>,
    pub issued_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub draft: NursingOrderDraft,
    pub sha256: String,
    pub pdf_size: u64,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
}

/// A regular order the doctor decided not to renew: why, who, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderEnding {
    pub reason: String,
    /// 「医師 佐藤 花子」, as they were.
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
}

/// The latest regular order per patient and station (the one ending
/// last), not renewed, with the patient's name: what the renewal
/// reminder reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestNursingOrder {
    pub order_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub station: String,
    pub ends_on: NaiveDate,
    /// Whether a 死亡 is recorded on one of the patient's referrals.
    pub life: PatientLife,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: Id,
    patient_id: Id,
    kind: String,
    content: String,
    station_member_id: Option<Id>,
    renews: Option<Id>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl DraftRow {
    fn into_record(self) -> StoreResult<NursingOrderDraftRecord> {
        Ok(NursingOrderDraftRecord {
            id: self.id.0,
            patient_id: self.patient_id.0,
            kind: kind_from(&self.kind)?,
            draft: draft_json::from_json(&self.content)?,
            station_member_id: self.station_member_id.map(Uuid::from),
            renews: self.renews.map(Uuid::from),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const DRAFT_COLUMNS: &str =
    "id, patient_id, kind, content, station_member_id, renews, created_at, updated_at";

const ORDER_COLUMNS: &str = "o.id, o.patient_id, o.kind, o.station, o.station_member_id,
    o.station_key, o.renews,
    (SELECT n.id FROM nursing_orders n WHERE n.renews = o.id
      ORDER BY n.issued_at DESC, n.id DESC LIMIT 1) AS renewed_by,
    o.issued_on, o.starts_on, o.ends_on, o.draft, o.sha256, length(o.pdf) AS pdf_size,
    o.issued_at, o.issued_by, e.reason AS ending_reason, e.decided_by_name AS ending_by,
    e.decided_at AS ended_at";

/// The tables `ORDER_COLUMNS` reads: the order and its ending, if any.
const ORDER_FROM: &str = "nursing_orders o LEFT JOIN nursing_order_endings e ON e.order_id = o.id";

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: Id,
    patient_id: Id,
    kind: String,
    station: String,
    station_member_id: Option<Id>,
    station_key: String,
    renews: Option<Id>,
    renewed_by: Option<Id>,
    issued_on: NaiveDate,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    draft: String,
    sha256: String,
    pdf_size: i64,
    issued_at: DateTime<Utc>,
    issued_by: String,
    ending_reason: Option<String>,
    ending_by: Option<String>,
    ended_at: Option<DateTime<Utc>>,
}

impl OrderRow {
    fn into_stored(self) -> StoreResult<StoredNursingOrder> {
        Ok(StoredNursingOrder {
            id: self.id.0,
            patient_id: self.patient_id.0,
            kind: kind_from(&self.kind)?,
            station: self.station,
            station_member_id: self.station_member_id.map(Uuid::from),
            station_key: self.station_key,
            renews: self.renews.map(Uuid::from),
            renewed_by: self.renewed_by.map(Uuid::from),
            ending: match (self.ending_reason, self.ending_by, self.ended_at) {
                (Some(reason), Some(decided_by_name), Some(decided_at)) => Some(OrderEnding {
                    reason,
                    decided_by_name,
                    decided_at,
                }),
                _ => None,
            },
            issued_on: self.issued_on,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            draft: draft_json::from_json(&self.draft)?,
            sha256: self.sha256,
            pdf_size: u64::try_from(self.pdf_size).unwrap_or(0),
            issued_at: self.issued_at,
            issued_by: self.issued_by,
        })
    }
}

fn kind_from(code: &str) -> StoreResult<OrderKind> {
    OrderKind::from_code(code).ok_or(StoreError::Corrupt("nursing order kind"))
}

impl Store {
    /// Creates a draft, or replaces its form and addressee (its patient,
    /// kind and the order it renews stay as they were created).
    pub async fn save_nursing_order_draft(
        &self,
        record: &NursingOrderDraftRecord,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO nursing_order_drafts
               (id, patient_id, kind, content, station_member_id, renews, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET content = excluded.content,
               station_member_id = excluded.station_member_id,
               updated_at = excluded.updated_at",
        )
        .bind(Id(record.id))
        .bind(Id(record.patient_id))
        .bind(record.kind.code())
        .bind(draft_json::to_json(&record.draft)?)
        .bind(record.station_member_id.map(Id))
        .bind(record.renews.map(Id))
        .bind(record.created_at)
        .bind(record.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn nursing_order_draft(&self, id: Uuid) -> StoreResult<NursingOrderDraftRecord> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM nursing_order_drafts WHERE id = ?");
        sqlx::query_as::<_, DraftRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_record()
    }

    /// A patient's drafts, the most recently edited first.
    pub async fn nursing_order_drafts(
        &self,
        patient_id: Uuid,
    ) -> StoreResult<Vec<NursingOrderDraftRecord>> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM nursing_order_drafts WHERE patient_id = ?
             ORDER BY updated_at DESC, id DESC"
        );
        sqlx::query_as::<_, DraftRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(DraftRow::into_record)
            .collect()
    }

    pub async fn delete_nursing_order_draft(&self, id: Uuid) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM nursing_order_drafts WHERE id = ?")
            .bind(Id(id))
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Stores an issued order and, in the same transaction, removes the
    /// draft it came from and writes the audit entry. The draft must
    /// still exist: issuing twice (two clicks, two windows) fails with
    /// `AlreadyIssued` and stores nothing.
    pub async fn issue_nursing_order(
        &self,
        order: &NewNursingOrder,
        draft_id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredNursingOrder> {
        let draft = draft_json::to_json(&order.draft)?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let removed = sqlx::query("DELETE FROM nursing_order_drafts WHERE id = ?")
            .bind(Id(draft_id))
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            // Rolled back here, not on drop, so the connection is idle
            // when this returns (as `issue_letter` does).
            tx.rollback().await?;
            return Err(StoreError::AlreadyIssued);
        }
        sqlx::query(
            "INSERT INTO nursing_orders (id, patient_id, kind, station, station_member_id,
               station_key, renews, issued_on, starts_on, ends_on, draft, pdf, sha256,
               issued_at, issued_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(order.id))
        .bind(Id(order.patient_id))
        .bind(order.kind.code())
        .bind(&order.station)
        .bind(order.station_member_id.map(Id))
        .bind(&order.station_key)
        .bind(order.renews.map(Id))
        .bind(order.issued_on)
        .bind(order.starts_on)
        .bind(order.ends_on)
        .bind(draft)
        .bind(&order.pdf)
        .bind(&order.sha256)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Issue,
            NURSING_ORDER,
            &order.id.to_string(),
        )
        .await?;
        let stored = order_by_id(&mut tx, order.id).await?;
        tx.commit().await?;
        Ok(stored)
    }

    pub async fn nursing_order(&self, id: Uuid) -> StoreResult<StoredNursingOrder> {
        let mut conn = self.pool.acquire().await?;
        order_by_id(&mut conn, id).await
    }

    /// A patient's issued orders, the latest issued first.
    pub async fn nursing_orders(&self, patient_id: Uuid) -> StoreResult<Vec<StoredNursingOrder>> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.patient_id = ?
             ORDER BY o.issued_at DESC, o.id DESC"
        );
        sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(OrderRow::into_stored)
            .collect()
    }

    /// The issued PDF, exactly as stored, for saving or printing; records
    /// who took it out.
    pub async fn nursing_order_pdf(
        &self,
        id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<u8>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let pdf: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT pdf FROM nursing_orders WHERE id = ?")
                .bind(Id(id))
                .fetch_optional(&mut *tx)
                .await?;
        let Some(pdf) = pdf else {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        };
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Print,
            NURSING_ORDER,
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(pdf)
    }

    /// Records that a regular order is not to be renewed (its reason
    /// checked by the domain), audited; the order as it now reads. An
    /// order already renewed or already ended is `OrderDecided`: neither
    /// is decided twice.
    pub async fn end_nursing_order(
        &self,
        id: Uuid,
        reason: &str,
        actor: &str,
        signature: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredNursingOrder> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let order = order_by_id(&mut tx, id).await?;
        if order.renewed_by.is_some() || order.ending.is_some() {
            tx.rollback().await?;
            return Err(StoreError::OrderDecided);
        }
        sqlx::query(
            "INSERT INTO nursing_order_endings (order_id, reason, decided_by, decided_by_name,
                 decided_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(Id(id))
        .bind(reason)
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
            NURSING_ORDER,
            &id.to_string(),
        )
        .await?;
        let ended = order_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// For each patient (not deleted) and station, the regular order that
    /// ends last, unless a renewal of it was issued (which may name the
    /// station otherwise: typed before the team had it, a member since).
    /// A 特別 order is left out: it runs 14 days by design for a
    /// flare-up, beside the regular order, and is not renewed.
    pub async fn latest_nursing_orders(&self) -> StoreResult<Vec<LatestNursingOrder>> {
        let sql = format!(
            "WITH ranked AS (
               SELECT id, patient_id, station, ends_on,
                      row_number() OVER (PARTITION BY patient_id, station_key
                        ORDER BY ends_on DESC, issued_at DESC, id DESC) AS n
                 FROM nursing_orders WHERE kind = 'regular')
             SELECT r.id, r.patient_id, p.name, r.station, r.ends_on, {PATIENT_DIED_SQL}
               FROM ranked r JOIN patients p ON p.id = r.patient_id
              WHERE r.n = 1 AND p.deleted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM nursing_orders x WHERE x.renews = r.id)
                AND NOT EXISTS (SELECT 1 FROM nursing_order_endings e WHERE e.order_id = r.id)
              ORDER BY r.ends_on, r.id"
        );
        let rows: Vec<(Id, Id, String, String, NaiveDate, bool)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(deceased_code())
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(
                |(order_id, patient_id, patient_name, station, ends_on, died)| LatestNursingOrder {
                    order_id: order_id.0,
                    patient_id: patient_id.0,
                    patient_name,
                    station,
                    ends_on,
                    life: patient_life(died),
                },
            )
            .collect())
    }
}

async fn order_by_id(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<StoredNursingOrder> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.id = ?");
    sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql))
        .bind(Id(id))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_stored()
}

#[cfg(test)]
mod tests;
