//! Counted attempts: failed sign-ins, tracking codes that found nothing
//! (in the portal and in claims), failed enrollment codes. Each attempt is
//! counted before it is tried, under a lock on its key ([`lock_key`]), and
//! forgotten if it succeeds: simultaneous attempts cannot all pass.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// Holds the lock on one attempt key (`kind`, `key`) until the
/// transaction ends: every server process counting and recording attempts
/// on that key takes its turn, so counting and recording are one step.
pub(crate) async fn lock_key(conn: &mut PgConnection, kind: &str, key: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))")
        .bind(kind)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Recent failures (or attempts still in flight) on one key: how many
/// within the window, and how many seconds since the last.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub(crate) struct Recent {
    pub count: i64,
    pub seconds_since_last: f64,
}

/// Failed sign-ins (and those in flight) within `minutes`: (for this
/// login, from this address).
pub(crate) async fn login_failures(
    conn: &mut PgConnection,
    login: &str,
    address: &str,
    minutes: i32,
) -> sqlx::Result<(Recent, Recent)> {
    let (login_count, login_since, address_count, address_since): (i64, f64, i64, f64) =
        sqlx::query_as(
            "SELECT count(*) FILTER (WHERE login = $1),
                    coalesce(extract(epoch FROM clock_timestamp()
                        - max(at) FILTER (WHERE login = $1)), 0)::float8,
                    count(*) FILTER (WHERE address = $2),
                    coalesce(extract(epoch FROM clock_timestamp()
                        - max(at) FILTER (WHERE address = $2)), 0)::float8
             FROM login_failures
             WHERE (login = $1 OR address = $2) AND at > now() - make_interval(mins => $3)",
        )
        .bind(login)
        .bind(address)
        .bind(minutes)
        .fetch_one(conn)
        .await?;
    Ok((
        Recent {
            count: login_count,
            seconds_since_last: login_since,
        },
        Recent {
            count: address_count,
            seconds_since_last: address_since,
        },
    ))
}

/// A sign-in attempt counted as failed until [`forget_login_failure`].
pub(crate) async fn add_login_failure(
    conn: &mut PgConnection,
    id: Uuid,
    login: &str,
    address: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO login_failures (id, login, address, at) VALUES ($1, $2, $3, clock_timestamp())",
    )
    .bind(id)
    .bind(login)
    .bind(address)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn forget_login_failure(ex: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Every counted failure of one login (the administrator's unlock); the
/// number removed.
pub(crate) async fn forget_login_failures_of(
    conn: &mut PgConnection,
    login: &str,
) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM login_failures WHERE login = $1")
        .bind(login)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Logins with failures within `minutes`, and how many.
pub(crate) async fn logins_failing(
    ex: impl PgExecutor<'_>,
    minutes: i32,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT login, count(*) FROM login_failures
         WHERE at > now() - make_interval(mins => $1) GROUP BY login",
    )
    .bind(minutes)
    .fetch_all(ex)
    .await
}

pub(crate) async fn lookup_misses(
    conn: &mut PgConnection,
    user: Uuid,
    minutes: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM lookup_misses
         WHERE user_id = $1 AND at > now() - make_interval(mins => $2)",
    )
    .bind(user)
    .bind(minutes)
    .fetch_one(conn)
    .await
}

/// A look-up counted as a miss until [`forget_lookup_miss`].
pub(crate) async fn add_lookup_miss(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO lookup_misses (id, user_id) VALUES ($1, $2)")
        .bind(id)
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn forget_lookup_miss(ex: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM lookup_misses WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Claims by this device that found nothing, within 15 minutes.
/// The device's key stays locked until the push's transaction ends, so
/// the miss it may record is counted before another claim looks.
pub(crate) async fn claim_misses(conn: &mut PgConnection, device: Uuid) -> sqlx::Result<i64> {
    lock_key(conn, "claim", &device.to_string()).await?;
    sqlx::query_scalar(
        "SELECT count(*) FROM claim_misses
         WHERE device_id = $1 AND at > now() - make_interval(mins => 15)",
    )
    .bind(device)
    .fetch_one(conn)
    .await
}

pub(crate) async fn add_claim_miss(conn: &mut PgConnection, device: Uuid) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO claim_misses (device_id) VALUES ($1)")
        .bind(device)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn enrollment_failures(
    conn: &mut PgConnection,
    address: &str,
    minutes: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM enrollment_failures
         WHERE address = $1 AND at > now() - make_interval(mins => $2)",
    )
    .bind(address)
    .bind(minutes)
    .fetch_one(conn)
    .await
}

/// An enrollment counted as failed until [`forget_enrollment_failure`].
pub(crate) async fn add_enrollment_failure(
    conn: &mut PgConnection,
    id: Uuid,
    address: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO enrollment_failures (id, address) VALUES ($1, $2)")
        .bind(id)
        .bind(address)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn forget_enrollment_failure(
    ex: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM enrollment_failures WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}
