//! Reply letters (返書) recorded against a referral, with their scans kept
//! inside the encrypted store. Never changed once recorded.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

const REPLY: &str = "reply";

/// The scan that came with a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyAttachment {
    /// The file's name as chosen, shown to the user.
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReply {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub received_on: NaiveDate,
    /// The domain's ReplyFindings JSON.
    pub findings: String,
    pub attachment: Option<ReplyAttachment>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A recorded reply, without its scan's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRecord {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub received_on: NaiveDate,
    pub findings: String,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment_size: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    id: Id,
    referral_id: Id,
    received_on: NaiveDate,
    findings: String,
    attachment_name: Option<String>,
    attachment_type: Option<String>,
    attachment_size: Option<i64>,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

impl ReplyRow {
    fn into_record(self) -> ReplyRecord {
        ReplyRecord {
            id: self.id.0,
            referral_id: self.referral_id.0,
            received_on: self.received_on,
            findings: self.findings,
            attachment_name: self.attachment_name,
            attachment_type: self.attachment_type,
            attachment_size: self.attachment_size,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        }
    }
}

impl Store {
    /// Records a reply and brings the referral's summary up to date (a reply
    /// closes the loop), in one transaction.
    pub async fn record_reply(&self, reply: &NewReply) -> StoreResult<ReplyRecord> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM referrals WHERE id = ?")
            .bind(Id(reply.referral_id))
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        }
        insert_reply(&mut tx, reply).await?;
        let record = sqlx::query_as::<_, ReplyRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REPLY_COLUMNS} FROM referral_replies WHERE id = ?"
        )))
        .bind(Id(reply.id))
        .fetch_one(&mut *tx)
        .await?
        .into_record();
        tx.commit().await?;
        Ok(record)
    }

    /// A referral's replies, oldest first.
    pub async fn replies_for_referral(&self, referral_id: Uuid) -> StoreResult<Vec<ReplyRecord>> {
        Ok(sqlx::query_as::<_, ReplyRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REPLY_COLUMNS} FROM referral_replies WHERE referral_id = ? ORDER BY seq"
        )))
        .bind(Id(referral_id))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ReplyRow::into_record)
        .collect())
    }

    /// A reply's scan, taken out to be viewed; the audit log records who.
    pub async fn reply_attachment(
        &self,
        reply_id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<ReplyAttachment> {
        let mut tx = self.pool.begin().await?;
        let row: Option<ScanRow> = sqlx::query_as(
            "SELECT attachment, attachment_type, attachment_name, attachment_sha256
                 FROM referral_replies WHERE id = ?",
        )
        .bind(Id(reply_id))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((Some(bytes), Some(media_type), name, sha256)) = row else {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        };
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::View,
            REPLY,
            &reply_id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(ReplyAttachment {
            name: name.unwrap_or_default(),
            media_type,
            bytes,
            sha256: sha256.unwrap_or_default(),
        })
    }
}

/// Inserts a reply with its audit entry and brings the referral's summary
/// up to date (a reply closes the loop), in the caller's transaction.
pub(crate) async fn insert_reply(
    tx: &mut sqlx::SqliteConnection,
    reply: &NewReply,
) -> StoreResult<()> {
    let attachment = reply.attachment.as_ref();
    sqlx::query(
        "INSERT INTO referral_replies (id, referral_id, received_on, findings, attachment,
              attachment_type, attachment_name, attachment_sha256, recorded_by, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Id(reply.id))
    .bind(Id(reply.referral_id))
    .bind(reply.received_on)
    .bind(&reply.findings)
    .bind(attachment.map(|a| a.bytes.as_slice()))
    .bind(attachment.map(|a| a.media_type.as_str()))
    .bind(attachment.map(|a| a.name.as_str()))
    .bind(attachment.map(|a| a.sha256.as_str()))
    .bind(&reply.recorded_by)
    .bind(reply.recorded_at)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut *tx,
        reply.recorded_at,
        &reply.recorded_by,
        AuditAction::Create,
        REPLY,
        &reply.id.to_string(),
    )
    .await?;
    crate::referral_summary::refresh(&mut *tx, reply.referral_id).await?;
    Ok(())
}

/// A scan's bytes, media type, file name and SHA-256, as stored.
type ScanRow = (
    Option<Vec<u8>>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const REPLY_COLUMNS: &str = "id, referral_id, received_on, findings, attachment_name,
    attachment_type, length(attachment) AS attachment_size, recorded_by, recorded_at";
