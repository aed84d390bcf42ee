//! Devices and the one-time codes that enroll them (`devices`,
//! `enrollment_codes`). Only digests of secrets and codes are stored.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

pub(crate) async fn insert_code(
    conn: &mut PgConnection,
    code_sha256: &str,
    organisation: Uuid,
    expires_at: DateTime<Utc>,
    created_by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO enrollment_codes (code_sha256, organisation_id, expires_at, created_by)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(code_sha256)
    .bind(organisation)
    .bind(expires_at)
    .bind(created_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The code's organisation and whether it still works, locked until the
/// transaction ends.
pub(crate) async fn code_for_update(
    conn: &mut PgConnection,
    code_sha256: &str,
) -> sqlx::Result<Option<(Uuid, bool)>> {
    sqlx::query_as(
        "SELECT organisation_id, used_at IS NULL AND expires_at > now()
         FROM enrollment_codes WHERE code_sha256 = $1 FOR UPDATE",
    )
    .bind(code_sha256)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn use_code(
    conn: &mut PgConnection,
    code_sha256: &str,
    device: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE enrollment_codes SET used_at = now(), used_by_device = $2 WHERE code_sha256 = $1",
    )
    .bind(code_sha256)
    .bind(device)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    organisation: Uuid,
    name: &str,
    secret_sha256: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO devices (id, organisation_id, name, secret_sha256) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(organisation)
    .bind(name)
    .bind(secret_sha256)
    .execute(conn)
    .await?;
    Ok(())
}

/// An unrevoked device's credential.
#[derive(sqlx::FromRow)]
pub(crate) struct Credential {
    pub organisation_id: Uuid,
    pub secret_sha256: String,
    pub name: String,
}

pub(crate) async fn active(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Credential>> {
    sqlx::query_as(
        "SELECT organisation_id, secret_sha256, name FROM devices
         WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Whether a device was revoked now (false: none, or revoked before).
pub(crate) async fn revoke(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("UPDATE devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// A device as the administrator's list shows it.
#[derive(sqlx::FromRow)]
pub(crate) struct Listed {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
}

pub(crate) async fn list(ex: impl PgExecutor<'_>) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT d.id, d.name, o.name AS organisation, d.created_at,
           d.revoked_at IS NOT NULL AS revoked
         FROM devices d JOIN organisations o ON o.id = d.organisation_id
         ORDER BY d.revoked_at IS NOT NULL, o.name, d.created_at",
    )
    .fetch_all(ex)
    .await
}
