//! The append-only local audit log: who created, changed, deleted or opened
//! which record, and when. Triggers in the schema refuse UPDATE and DELETE.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::Store;
use crate::error::StoreResult;

/// Stored as its code: the variant's name in snake_case (`create`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Restore,
    View,
    /// A letter was issued (rendered, stored, made immutable).
    Issue,
    /// An issued letter's PDF was taken out to save or print.
    Print,
    /// A clinic account signed in, out, or failed to (entity: the account's login).
    SignIn,
    SignInFailed,
    SignOut,
    UnlockFailed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: AuditAction,
    pub entity_kind: String,
    pub entity_id: String,
}

pub(crate) async fn append(
    conn: &mut SqliteConnection,
    at: DateTime<Utc>,
    actor: &str,
    action: AuditAction,
    entity_kind: &str,
    entity_id: &str,
) -> StoreResult<()> {
    append_for_each(
        conn,
        at,
        actor,
        action,
        entity_kind,
        &[entity_id.to_string()],
    )
    .await
}

/// The same action on many records of one kind, in one statement.
pub(crate) async fn append_for_each(
    conn: &mut SqliteConnection,
    at: DateTime<Utc>,
    actor: &str,
    action: AuditAction,
    entity_kind: &str,
    entity_ids: &[String],
) -> StoreResult<()> {
    if entity_ids.is_empty() {
        return Ok(());
    }
    crate::batch::insert_rows(
        conn,
        "INSERT INTO audit_log (at, actor, action, entity_kind, entity_id) ",
        entity_ids,
        "",
        |mut row, id| {
            row.push_bind(at)
                .push_bind(actor.to_string())
                .push_bind(action)
                .push_bind(entity_kind.to_string())
                .push_bind(id.clone());
        },
    )
    .await
}

impl Store {
    /// The audit trail of one record, oldest first.
    /// A sign-in, sign-out or failed attempt, on its own.
    pub async fn audit_session(
        &self,
        action: AuditAction,
        login: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        append(
            &mut conn,
            now,
            &format!("account:{login}"),
            action,
            "account",
            login,
        )
        .await
    }

    pub async fn audit_trail(&self, entity_id: &str) -> StoreResult<Vec<AuditEntry>> {
        let rows: Vec<(DateTime<Utc>, String, AuditAction, String, String)> = sqlx::query_as(
            "SELECT at, actor, action, entity_kind, entity_id FROM audit_log
             WHERE entity_id = ? ORDER BY seq",
        )
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(at, actor, action, entity_kind, entity_id)| AuditEntry {
                at,
                actor,
                action,
                entity_kind,
                entity_id,
            })
            .collect())
    }
}
