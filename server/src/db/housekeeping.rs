//! Sweeping the tables of counted attempts and ended sessions.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// Deletes rows older than `hours` from the attempt counters and the
/// sessions; the number removed.
pub(crate) async fn sweep(pool: &PgPool, hours: i32) -> sqlx::Result<u64> {
    let mut removed = 0;
    for sql in [
        "DELETE FROM login_failures WHERE at < now() - make_interval(hours => $1)",
        "DELETE FROM lookup_misses WHERE at < now() - make_interval(hours => $1)",
        "DELETE FROM claim_misses WHERE at < now() - make_interval(hours => $1)",
        "DELETE FROM enrollment_failures WHERE at < now() - make_interval(hours => $1)",
        "DELETE FROM portal_sessions WHERE last_seen_at < now() - make_interval(hours => $1)",
    ] {
        removed += sqlx::query(sql)
            .bind(hours)
            .execute(pool)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// Pending invitations whose time ran out by `now`: (team, member).
pub(crate) async fn invitations_due(
    ex: impl sqlx::PgExecutor<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<(Uuid, Uuid)>> {
    sqlx::query_as(
        "SELECT team_id, id FROM team_members
         WHERE state IN ('invited', 'awaiting_approval') AND expires_at <= $1
         ORDER BY team_id, id",
    )
    .bind(now)
    .fetch_all(ex)
    .await
}
