//! `team_pinned_summaries` (migration 0033): each version of a team's
//! pinned 医療・介護連携サマリー; the latest is the one shown.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use sqlx::types::Json;
use tsunagu_protocol::WirePinnedSummary;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PinnedRow {
    pub version: i32,
    pub summary: Json<WirePinnedSummary>,
    pub emergency_sheet: Option<Uuid>,
    pub author: String,
    /// When the clinic saved it (its clock), shown as 「更新」.
    pub written_at: DateTime<Utc>,
}

pub(crate) struct NewPinned<'a> {
    pub team: Uuid,
    pub summary: &'a WirePinnedSummary,
    pub emergency_sheet: Option<Uuid>,
    pub author: &'a str,
    pub author_actor: &'a str,
    pub written_at: DateTime<Utc>,
}

/// Adds the next version (the team's row is locked by the caller, so two
/// pushes never take the same number).
pub(crate) async fn insert(conn: &mut PgConnection, new: &NewPinned<'_>) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "INSERT INTO team_pinned_summaries
           (id, team_id, version, summary, emergency_sheet, author, author_actor, written_at)
         SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, $6, $7
           FROM team_pinned_summaries WHERE team_id = $2
         RETURNING version",
    )
    .bind(Uuid::now_v7())
    .bind(new.team)
    .bind(super::json(new.summary)?)
    .bind(new.emergency_sheet)
    .bind(new.author)
    .bind(new.author_actor)
    .bind(new.written_at)
    .fetch_one(conn)
    .await
}

const COLUMNS: &str = "version, summary, emergency_sheet, author, written_at";

/// The team's pinned summary: its latest version.
pub(crate) async fn latest(conn: &mut PgConnection, team: Uuid) -> sqlx::Result<Option<PinnedRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM team_pinned_summaries WHERE team_id = $1
          ORDER BY version DESC LIMIT 1"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(team)
        .fetch_optional(conn)
        .await
}

/// The team whose summary carries this emergency sheet, if any.
pub(crate) async fn team_of_sheet(
    conn: &mut PgConnection,
    attachment: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT team_id FROM team_pinned_summaries WHERE emergency_sheet = $1 LIMIT 1",
    )
    .bind(attachment)
    .fetch_optional(conn)
    .await
}
