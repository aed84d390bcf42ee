#![allow(dead_code, reason = "each test binary uses its own share")]

//! Directory listings written into the region's PostgreSQL as an import
//! or the portal's profile pages would have written them (the server's
//! triggers number them for `/v1/directory`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::support::region::Region;

/// An organisation of `kind` (a code) with its reading.
pub async fn organisation(region: &Region, kind: &str, name: &str, kana: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO organisations (id, kind, name, name_kana, phone, fax)
         VALUES ($1, $2, $3, $4, '03-3981-1234', '03-3981-1235')",
    )
    .bind(id)
    .bind(kind)
    .bind(name)
    .bind(kana)
    .execute(&region.owner)
    .await
    .unwrap();
    id
}

/// Its profile, every part confirmed at `confirmed_at`.
pub async fn profile(
    region: &Region,
    id: Uuid,
    address: &str,
    municipalities: &[&str],
    offers: &[&str],
    accepting: &str,
    confirmed_at: DateTime<Utc>,
) {
    let parts = [
        "contact",
        "hours",
        "area",
        "offers",
        "accepting",
        "care_managers",
    ];
    let confirmed: serde_json::Map<String, serde_json::Value> = parts
        .iter()
        .map(|p| (p.to_string(), confirmed_at.to_rfc3339().into()))
        .collect();
    sqlx::query(
        "INSERT INTO organisation_profiles (organisation_id, address, hours, municipalities,
             offers, accepting, confirmed, updated_by)
         VALUES ($1, $2, '平日 9:00〜17:00（土曜は午前）', $3, $4, $5, $6, 'test')",
    )
    .bind(id)
    .bind(address)
    .bind(municipalities)
    .bind(offers)
    .bind(accepting)
    .bind(serde_json::Value::Object(confirmed))
    .execute(&region.owner)
    .await
    .unwrap();
}

/// A hospital's beds of one ward type.
pub async fn beds(region: &Region, hospital: Uuid, ward: &str, capacity: i16, available: i16) {
    sqlx::query(
        "INSERT INTO hospital_beds (hospital_id, ward_type, capacity, available, updated_by)
         VALUES ($1, $2, $3, $4, 'test')",
    )
    .bind(hospital)
    .bind(ward)
    .bind(capacity)
    .bind(available)
    .execute(&region.owner)
    .await
    .unwrap();
}
