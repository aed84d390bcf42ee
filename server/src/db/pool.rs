//! The server's PostgreSQL: connecting (creating the database on a fresh
//! cluster) and migrating.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The role the server runs as (migration 0004), beside the owner that
/// migrates.
pub const RUNTIME_ROLE: &str = "tsunagu_app";

/// As the database's owner (`url`): creates the database if the cluster
/// lacks it and brings the schema up to date.
pub async fn migrate(url: &str) -> Result<(), sqlx::Error> {
    let options = options(url)?;
    create_database_if_missing(&options).await?;
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let mut result = MIGRATOR.run(&owner).await.map_err(sqlx::Error::from);
    if result.is_ok() {
        result = super::listings::key_unkeyed(&owner).await;
    }
    if result.is_ok() {
        result = super::referrals::rekey_patients(&owner).await;
    }
    owner.close().await;
    result
}

/// How long any one statement of the server's may run (waiting for locks
/// included): a page or a push that takes longer is stopped and answered
/// with a message, instead of holding a connection. Work that must run
/// longer (`admin verify-audit`) lifts it for its own transaction.
pub const STATEMENT_TIMEOUT: &str = "10s";

/// The pool the server works with.
pub async fn connect(url: &str) -> Result<PgPool, sqlx::Error> {
    let options = options(url)?.options([("statement_timeout", STATEMENT_TIMEOUT)]);
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
}

/// Migrates as the owner, then connects as `runtime_url`'s role.
pub async fn connect_and_migrate(
    owner_url: &str,
    runtime_url: &str,
) -> Result<PgPool, sqlx::Error> {
    migrate(owner_url).await?;
    connect(runtime_url).await
}

// Statements are never logged: they may carry patient data.
fn options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(url.parse::<PgConnectOptions>()?.disable_statement_logging())
}

async fn create_database_if_missing(options: &PgConnectOptions) -> Result<(), sqlx::Error> {
    let Some(name) = options.get_database().map(str::to_string) else {
        return Ok(());
    };
    let mut admin = options.clone().database("postgres").connect().await?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await?;
    if exists.is_none() {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {quoted}")))
            .execute(&mut admin)
            .await?;
    }
    Ok(())
}

/// The health check's round trip.
pub(crate) async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
