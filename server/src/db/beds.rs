//! `hospital_beds` (migration 0025): 空床 per hospital and ward type.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct BedRow {
    pub hospital_id: Uuid,
    pub hospital: String,
    pub ward_type: String,
    pub capacity: i16,
    pub available: i16,
    pub updated_at: DateTime<Utc>,
}

/// One hospital's figures, or (none) every hospital's, by hospital name.
pub(crate) async fn of(
    conn: &mut PgConnection,
    hospital: Option<Uuid>,
) -> sqlx::Result<Vec<BedRow>> {
    sqlx::query_as(
        "SELECT b.hospital_id, o.name AS hospital, b.ward_type, b.capacity, b.available,
           b.updated_at
         FROM hospital_beds b JOIN organisations o ON o.id = b.hospital_id
         WHERE $1::uuid IS NULL OR b.hospital_id = $1
         ORDER BY o.name, b.hospital_id, b.ward_type",
    )
    .bind(hospital)
    .fetch_all(conn)
    .await
}

/// The hospital's figures as said now: a ward type with figures is
/// written (its time now), one left empty is removed.
pub(crate) async fn replace(
    conn: &mut PgConnection,
    hospital: Uuid,
    figures: &[(&str, Option<(i16, i16)>)],
    by: &str,
) -> sqlx::Result<()> {
    for (ward, figure) in figures {
        match figure {
            Some((capacity, available)) => {
                sqlx::query(
                    "INSERT INTO hospital_beds (hospital_id, ward_type, capacity, available,
                       updated_by)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (hospital_id, ward_type) DO UPDATE SET capacity = $3,
                       available = $4, updated_by = $5, updated_at = now()",
                )
                .bind(hospital)
                .bind(ward)
                .bind(capacity)
                .bind(available)
                .bind(by)
                .execute(&mut *conn)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM hospital_beds WHERE hospital_id = $1 AND ward_type = $2")
                    .bind(hospital)
                    .bind(ward)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}
