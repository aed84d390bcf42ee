//! `organisation_profiles` (migration 0024): what an organisation says of
//! itself in the regional directory.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ProfileRow {
    pub organisation_id: Uuid,
    pub name: String,
    pub kind: String,
    pub phone: String,
    pub fax: String,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub municipalities: Option<Vec<String>>,
    pub area_detail: Option<String>,
    pub radius_km: Option<i16>,
    pub offers: Option<Vec<String>>,
    pub accepting: Option<String>,
    pub care_managers: Option<i16>,
    pub confirmed: Option<serde_json::Value>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The organisation and its profile (empty parts if it never kept one).
pub(crate) async fn get(
    conn: &mut PgConnection,
    organisation: Uuid,
) -> sqlx::Result<Option<ProfileRow>> {
    sqlx::query_as(
        "SELECT o.id AS organisation_id, o.name, o.kind, o.phone, o.fax, p.address, p.hours,
           p.municipalities, p.area_detail, p.radius_km, p.offers, p.accepting, p.care_managers,
           p.confirmed, p.updated_at
         FROM organisations o LEFT JOIN organisation_profiles p ON p.organisation_id = o.id
         WHERE o.id = $1",
    )
    .bind(organisation)
    .fetch_optional(conn)
    .await
}

pub(crate) struct SavedProfile<'a> {
    pub organisation: Uuid,
    pub phone: &'a str,
    pub fax: &'a str,
    pub address: &'a str,
    pub hours: &'a str,
    pub municipalities: &'a [String],
    pub area_detail: &'a str,
    pub radius_km: Option<i16>,
    pub offers: &'a [String],
    pub accepting: Option<&'a str>,
    pub care_managers: Option<i16>,
    /// Each part saved, confirmed now: merged into what was confirmed.
    pub confirmed: serde_json::Value,
    pub by: &'a str,
}

pub(crate) async fn save(conn: &mut PgConnection, p: &SavedProfile<'_>) -> sqlx::Result<()> {
    sqlx::query("UPDATE organisations SET phone = $2, fax = $3 WHERE id = $1")
        .bind(p.organisation)
        .bind(p.phone)
        .bind(p.fax)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO organisation_profiles (organisation_id, address, hours, municipalities,
           area_detail, radius_km, offers, accepting, care_managers, confirmed, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (organisation_id) DO UPDATE SET address = $2, hours = $3,
           municipalities = $4, area_detail = $5, radius_km = $6, offers = $7, accepting = $8,
           care_managers = $9, confirmed = organisation_profiles.confirmed || $10,
           updated_by = $11, updated_at = now()",
    )
    .bind(p.organisation)
    .bind(p.address)
    .bind(p.hours)
    .bind(p.municipalities)
    .bind(p.area_detail)
    .bind(p.radius_km)
    .bind(p.offers)
    .bind(p.accepting)
    .bind(p.care_managers)
    .bind(&p.confirmed)
    .bind(p.by)
    .execute(conn)
    .await?;
    Ok(())
}
