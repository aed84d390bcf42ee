//! Documents a hospital sent through the portal (ADR 0041): the feed's
//! word of each is kept here until its bytes are fetched; then it becomes
//! the referral's reply (`referral_replies`, the same id), in one
//! transaction that marks it recorded.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::hospital_document::HospitalDocumentKind;
use uuid::Uuid;

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::replies::{NewReply, insert_reply};
use crate::sql::Id;

/// A document as the feed named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitalDocument {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub kind: HospitalDocumentKind,
    /// The file's name as the hospital uploaded it.
    pub name: String,
    pub size: i64,
    pub sha256: String,
    /// The hospital and the person who sent it.
    pub actor: String,
    pub uploaded_at: DateTime<Utc>,
}

/// Keeps what a pulled page named (a repeat changes nothing); answers how
/// many were new.
pub(crate) async fn apply_pulled(
    conn: &mut SqliteConnection,
    documents: &[&HospitalDocument],
) -> StoreResult<usize> {
    let mut new = 0;
    for d in documents {
        let done = sqlx::query(
            "INSERT OR IGNORE INTO hospital_documents
               (id, referral_id, kind, name, size, sha256, actor, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(d.id))
        .bind(Id(d.referral_id))
        .bind(d.kind.code())
        .bind(&d.name)
        .bind(d.size)
        .bind(&d.sha256)
        .bind(&d.actor)
        .bind(d.uploaded_at)
        .execute(&mut *conn)
        .await?;
        new += done.rows_affected() as usize;
    }
    Ok(new)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Id,
    referral_id: Id,
    kind: String,
    name: String,
    size: i64,
    sha256: String,
    actor: String,
    uploaded_at: DateTime<Utc>,
}

impl Store {
    /// Documents not yet recorded, of referrals this install holds, those
    /// failed least often first; at most `limit`.
    pub async fn hospital_documents_waiting(
        &self,
        limit: u32,
    ) -> StoreResult<Vec<HospitalDocument>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.id, d.referral_id, d.kind, d.name, d.size, d.sha256, d.actor, d.uploaded_at
               FROM hospital_documents d JOIN referrals r ON r.id = d.referral_id
              WHERE d.recorded = 0 ORDER BY d.fetch_failures, d.id LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(HospitalDocument {
                    id: r.id.0,
                    referral_id: r.referral_id.0,
                    kind: HospitalDocumentKind::from_code(&r.kind)
                        .ok_or(StoreError::Corrupt("hospital document kind"))?,
                    name: r.name,
                    size: r.size,
                    sha256: r.sha256,
                    actor: r.actor,
                    uploaded_at: r.uploaded_at,
                })
            })
            .collect()
    }

    /// A fetch failed (or its bytes did not match): tried again later,
    /// after the others.
    pub async fn hospital_document_fetch_failed(&self, id: Uuid) -> StoreResult<()> {
        sqlx::query(
            "UPDATE hospital_documents SET fetch_failures = fetch_failures + 1 WHERE id = ?",
        )
        .bind(Id(id))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a fetched document as its referral's reply (`reply.id` is
    /// the document's) and marks it recorded, in one transaction; a reply
    /// already recorded is left as it is.
    pub async fn record_hospital_document(&self, reply: &NewReply) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let held: Option<i64> = sqlx::query_scalar("SELECT 1 FROM referral_replies WHERE id = ?")
            .bind(Id(reply.id))
            .fetch_optional(&mut *tx)
            .await?;
        if held.is_none() {
            insert_reply(&mut tx, reply).await?;
        }
        sqlx::query("UPDATE hospital_documents SET recorded = 1 WHERE id = ?")
            .bind(Id(reply.id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
