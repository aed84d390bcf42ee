//! Counted attempts: failed sign-ins, tracking codes that found nothing
//! (in the portal and in claims), failed enrollment codes. Each is counted
//! within a recent window before the next try is refused for a while.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// Failed sign-ins within `minutes`: (for this login, from this address).
pub(crate) async fn login_failures(
    ex: impl PgExecutor<'_>,
    login: &str,
    address: &str,
    minutes: i32,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE login = $1), count(*) FILTER (WHERE address = $2)
         FROM login_failures
         WHERE (login = $1 OR address = $2) AND at > now() - make_interval(mins => $3)",
    )
    .bind(login)
    .bind(address)
    .bind(minutes)
    .fetch_one(ex)
    .await
}

pub(crate) async fn add_login_failure(
    ex: impl PgExecutor<'_>,
    login: &str,
    address: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (login, address) VALUES ($1, $2)")
        .bind(login)
        .bind(address)
        .execute(ex)
        .await?;
    Ok(())
}

pub(crate) async fn lookup_misses(
    ex: impl PgExecutor<'_>,
    user: Uuid,
    minutes: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM lookup_misses
         WHERE user_id = $1 AND at > now() - make_interval(mins => $2)",
    )
    .bind(user)
    .bind(minutes)
    .fetch_one(ex)
    .await
}

pub(crate) async fn add_lookup_miss(conn: &mut PgConnection, user: Uuid) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO lookup_misses (user_id) VALUES ($1)")
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

/// Claims by this device that found nothing, within 15 minutes.
pub(crate) async fn claim_misses(conn: &mut PgConnection, device: Uuid) -> sqlx::Result<i64> {
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
    ex: impl PgExecutor<'_>,
    address: &str,
    minutes: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM enrollment_failures
         WHERE address = $1 AND at > now() - make_interval(mins => $2)",
    )
    .bind(address)
    .bind(minutes)
    .fetch_one(ex)
    .await
}

pub(crate) async fn add_enrollment_failure(
    ex: impl PgExecutor<'_>,
    address: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO enrollment_failures (address) VALUES ($1)")
        .bind(address)
        .execute(ex)
        .await?;
    Ok(())
}
