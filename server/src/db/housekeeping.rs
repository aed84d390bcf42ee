//! Sweeping the tables of counted attempts and ended sessions.

use sqlx::PgPool;

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
