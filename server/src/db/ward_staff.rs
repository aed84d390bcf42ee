//! The ward staff a hospital's liaison invites by name (issue 17, ADR
//! 0028): whom she may invite, and the end of their access with the stay.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The hospital's people the office may invite by name: its enabled
/// accounts, with their professions.
pub(crate) async fn staff_of(
    conn: &mut PgConnection,
    hospital: Uuid,
) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    sqlx::query_as(
        "SELECT id, display_name, profession FROM users
         WHERE organisation_id = $1 AND disabled_at IS NULL ORDER BY display_name, id",
    )
    .bind(hospital)
    .fetch_all(conn)
    .await
}

/// An enabled account's organisation and profession.
pub(crate) async fn account(
    conn: &mut PgConnection,
    user: Uuid,
) -> sqlx::Result<Option<(Uuid, String, String)>> {
    sqlx::query_as(
        "SELECT organisation_id, display_name, profession FROM users
         WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(user)
    .fetch_optional(conn)
    .await
}

/// The hospital's ward staff on the team whose access has no end yet get
/// one: `days_after_stay` after `left_at`. The members changed.
pub(crate) async fn end_ward_access(
    conn: &mut PgConnection,
    team: Uuid,
    hospital: Uuid,
    left_at: DateTime<Utc>,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "UPDATE team_members
         SET access_until = $3 + make_interval(days => days_after_stay), updated_at = now()
         WHERE team_id = $1 AND organisation_id = $2 AND user_id IS NOT NULL
           AND state = 'active' AND access_until IS NULL
         RETURNING id",
    )
    .bind(team)
    .bind(hospital)
    .bind(left_at)
    .fetch_all(conn)
    .await
}

/// The patient is back with the hospital before the ward staff's access
/// ran out: it is open again until the new stay ends. The members changed.
pub(crate) async fn resume_ward_access(
    conn: &mut PgConnection,
    team: Uuid,
    hospital: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "UPDATE team_members SET access_until = NULL, updated_at = now()
         WHERE team_id = $1 AND organisation_id = $2 AND user_id IS NOT NULL
           AND state = 'active' AND access_until > $3
         RETURNING id",
    )
    .bind(team)
    .bind(hospital)
    .bind(now)
    .fetch_all(conn)
    .await
}
