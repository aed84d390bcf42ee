//! The files of the team's timeline on this PC: kept encrypted with their
//! post, opened (audited), uploaded before the post is pushed, and fetched
//! (checked against their SHA-256) when the feed names one of another
//! member's.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::TEAM_ATTACHMENT;
use super::rows::{ATTACHMENT_COLUMNS, AttachmentMeta, AttachmentRow};
use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

/// An attachment whose bytes are still to be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingAttachment {
    pub id: Uuid,
    pub size: i64,
    pub sha256: String,
}

impl Store {
    /// An attachment's bytes, to open or save. The opening is audited.
    pub async fn team_attachment(
        &self,
        id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(AttachmentMeta, Option<Vec<u8>>)> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let sql = format!("SELECT {ATTACHMENT_COLUMNS} FROM team_attachments a WHERE a.id = ?");
        let row: AttachmentRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(id))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let bytes: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT bytes FROM team_attachments WHERE id = ?")
                .bind(Id(id))
                .fetch_one(&mut *tx)
                .await?;
        if bytes.is_some() {
            audit::append(
                &mut tx,
                now,
                actor,
                AuditAction::View,
                TEAM_ATTACHMENT,
                &id.to_string(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok((row.into_meta().1, bytes))
    }

    /// The bytes of an attachment to upload (one written here).
    pub async fn team_attachment_bytes(&self, id: Uuid) -> StoreResult<(String, Vec<u8>)> {
        // A post's file, or another operation's (the emergency sheet).
        let row: (String, Option<Vec<u8>>) = sqlx::query_as(
            "SELECT name, bytes FROM team_attachments WHERE id = ?1
             UNION ALL SELECT name, bytes FROM team_op_files WHERE id = ?1",
        )
        .bind(Id(id))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        match row {
            (name, Some(bytes)) => Ok((name, bytes)),
            (_, None) => Err(StoreError::NotFound),
        }
    }

    /// The server has the file: the post naming it may go.
    pub async fn mark_attachment_uploaded(&self, id: Uuid) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for table in ["team_attachments", "team_op_files"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET uploaded = 1 WHERE id = ?"
            )))
            .bind(Id(id))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Attachments still to be fetched, the ones failed least often first.
    pub async fn missing_team_attachments(
        &self,
        limit: u32,
    ) -> StoreResult<Vec<MissingAttachment>> {
        let rows: Vec<(Id, i64, String)> = sqlx::query_as(
            "SELECT id, size, sha256 FROM team_attachments WHERE bytes IS NULL
             ORDER BY fetch_failures, id LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, size, sha256)| MissingAttachment {
                id: id.0,
                size,
                sha256,
            })
            .collect())
    }

    /// Keeps fetched bytes (checked by the caller against the SHA-256 the
    /// feed gave).
    pub async fn keep_team_attachment(&self, id: Uuid, bytes: &[u8]) -> StoreResult<()> {
        sqlx::query(
            "UPDATE team_attachments SET bytes = ?, uploaded = 1 WHERE id = ? AND bytes IS NULL",
        )
        .bind(bytes)
        .bind(Id(id))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A fetch failed: tried again later, after the others.
    pub async fn team_attachment_fetch_failed(&self, id: Uuid) -> StoreResult<()> {
        sqlx::query("UPDATE team_attachments SET fetch_failures = fetch_failures + 1 WHERE id = ?")
            .bind(Id(id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The files a queued post names that the server does not have yet.
pub(crate) async fn uploads_pending(
    conn: &mut SqliteConnection,
    record: Uuid,
) -> StoreResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar::<_, Id>(
        "SELECT id FROM (
           SELECT id, position FROM team_attachments WHERE entry_id = ?1 AND uploaded = 0
           UNION ALL
           SELECT id, 0 FROM team_op_files WHERE record_id = ?1 AND uploaded = 0
         ) ORDER BY position",
    )
    .bind(Id(record))
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(Uuid::from)
    .collect())
}
