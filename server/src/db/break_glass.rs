//! Break-glass accesses (`break_glass`, migration 0012). Whether one is
//! live is decided by the database's clock (`now()`), the same for every
//! server process.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// The condition under which a referral (its id the parameter `param`)
/// may be opened by break-glass: it exists and its patient's identity is
/// held, that is, a consent in force covers the desk or hospitals (ADR
/// 0015). Break-glass widens whose scope a referral is in, never consent.
fn reachable(param: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM referrals r WHERE r.id = {param}
           AND EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                       AND c.withdrawn_on IS NULL AND (c.desk OR c.destination_hospital)))"
    )
}

/// Records a break-glass of `minutes` if the referral is reachable; its
/// end, or `None` (nothing written).
pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
    referral: Uuid,
    reason: &str,
    minutes: i32,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let sql = format!(
        "INSERT INTO break_glass (id, user_id, referral_id, reason, expires_at)
         SELECT $1, $2, $3, $4, now() + make_interval(mins => $5) WHERE {}
         RETURNING expires_at",
        reachable("$3")
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(user)
        .bind(referral)
        .bind(reason)
        .bind(minutes)
        .fetch_optional(conn)
        .await
}

/// A live break-glass, as the banner shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Live {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub tracking_code: String,
    pub reason: String,
    /// Whole minutes left, rounded up.
    pub minutes_left: i32,
}

/// The person's live break-glass accesses, oldest first.
pub(crate) async fn live_of(ex: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<Live>> {
    sqlx::query_as(
        "SELECT b.id, b.referral_id, r.tracking_code, b.reason,
           ceil(extract(epoch FROM b.expires_at - now()) / 60)::int AS minutes_left
         FROM break_glass b JOIN referrals r ON r.id = b.referral_id
         WHERE b.user_id = $1 AND b.ended_at IS NULL AND b.expires_at > now()
         ORDER BY b.started_at",
    )
    .bind(user)
    .fetch_all(ex)
    .await
}

/// The live break-glass by which `user` may read `referral` now, if any
/// (still reachable: a consent withdrawn since ends it).
pub(crate) async fn live_for(
    conn: &mut PgConnection,
    user: Uuid,
    referral: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    let sql = format!(
        "SELECT b.id FROM break_glass b
         WHERE b.user_id = $1 AND b.referral_id = $2
           AND b.ended_at IS NULL AND b.expires_at > now() AND {}
         ORDER BY b.expires_at DESC LIMIT 1",
        reachable("$2")
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(user)
        .bind(referral)
        .fetch_optional(conn)
        .await
}

/// Ends the person's own live break-glass now; the referral it was for,
/// or `None` if there is no such live one of theirs.
pub(crate) async fn end(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "UPDATE break_glass SET ended_at = now()
         WHERE id = $1 AND user_id = $2 AND ended_at IS NULL AND expires_at > now()
         RETURNING referral_id",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(conn)
    .await
}

/// A break-glass not yet acknowledged, as the desk's list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Pending {
    pub id: Uuid,
    pub user_id: Uuid,
    pub login: String,
    pub display_name: String,
    pub organisation: String,
    pub referral_id: Uuid,
    pub tracking_code: String,
    pub reason: String,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub live: bool,
}

/// Every break-glass still to acknowledge, oldest first.
pub(crate) async fn pending(conn: &mut PgConnection) -> sqlx::Result<Vec<Pending>> {
    sqlx::query_as(
        "SELECT b.id, b.user_id, u.login, u.display_name, o.name AS organisation,
           b.referral_id, r.tracking_code, b.reason, b.started_at, b.expires_at, b.ended_at,
           (b.ended_at IS NULL AND b.expires_at > now()) AS live
         FROM break_glass b JOIN users u ON u.id = b.user_id
         JOIN organisations o ON o.id = u.organisation_id
         JOIN referrals r ON r.id = b.referral_id
         WHERE b.acknowledged_at IS NULL
         ORDER BY b.started_at",
    )
    .fetch_all(conn)
    .await
}

/// Who a break-glass is of and whether it is acknowledged, locked until
/// the transaction ends.
pub(crate) async fn owner_for_update(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(Uuid, Uuid, bool)>> {
    sqlx::query_as(
        "SELECT user_id, referral_id, acknowledged_at IS NOT NULL FROM break_glass
         WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn acknowledge(
    conn: &mut PgConnection,
    id: Uuid,
    reviewer: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE break_glass SET acknowledged_by = $2, acknowledged_at = now()
         WHERE id = $1 AND acknowledged_at IS NULL",
    )
    .bind(id)
    .bind(reviewer)
    .execute(conn)
    .await?;
    Ok(())
}
