//! The team's pinned 医療・介護連携サマリー as the clinic queues it (ADR
//! 0042): the operation goes in the same transaction as the summary or
//! the 人生会議 it follows from, with the emergency sheet's PDF kept to
//! be uploaded before it.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::audit::{self, AuditAction};
use crate::error::StoreResult;
use crate::outbox;
use crate::sql::Id;
use crate::team::TeamOperation;

const TEAM_SUMMARY: &str = "team_summary";

/// What is shared with the team when a summary or the wishes change:
/// `None` where nothing is (no team, or no consent naming it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedShare {
    pub team_id: Uuid,
    pub operation: TeamOperation,
    pub sheet: Option<SheetFile>,
}

/// The emergency sheet's PDF, under the id the operation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetFile {
    pub id: Uuid,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// Queues the operation and keeps its file, audited as the summary
/// shared with the team.
pub(crate) async fn queue(
    conn: &mut SqliteConnection,
    patient: Uuid,
    share: &PinnedShare,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if let Some(file) = &share.sheet {
        sqlx::query(
            "INSERT INTO team_op_files (id, record_id, name, media_type, size, sha256, bytes)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(file.id))
        .bind(Id(share.operation.record_id))
        .bind(&file.name)
        .bind(&file.media_type)
        .bind(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX))
        .bind(&file.sha256)
        .bind(&file.bytes)
        .execute(&mut *conn)
        .await?;
    }
    outbox::enqueue_team(
        &mut *conn,
        share.operation.record_id,
        patient,
        &share.operation.payload,
        now,
    )
    .await?;
    audit::append(
        conn,
        now,
        actor,
        AuditAction::Update,
        TEAM_SUMMARY,
        &share.team_id.to_string(),
    )
    .await
}
