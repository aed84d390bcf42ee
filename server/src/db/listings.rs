//! The directory's listings (migration 0026): each organisation with its
//! profile and beds, read whole — by directory version for devices, by a
//! search for the portal — and the name's search key kept beside it.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tsunagu_domain::directory::search::listing_name_key;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ListingRow {
    pub id: Uuid,
    pub name: String,
    pub name_kana: String,
    /// The domain's `listing_name_key` of the name and reading.
    pub search_key: String,
    pub kind: String,
    pub phone: String,
    pub fax: String,
    pub stopped: bool,
    pub directory_version: i64,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub municipalities: Option<Vec<String>>,
    pub area_detail: Option<String>,
    pub radius_km: Option<i16>,
    pub offers: Option<Vec<String>>,
    pub accepting: Option<String>,
    pub care_managers: Option<i16>,
    pub confirmed: Option<serde_json::Value>,
    /// `[{ward_type, capacity, available, updated_at}]`.
    pub beds: serde_json::Value,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct BedsJson {
    pub ward_type: String,
    pub capacity: i16,
    pub available: i16,
    pub updated_at: DateTime<Utc>,
}

const LISTING: &str = "SELECT o.id, o.name, o.name_kana, o.search_key, o.kind, o.phone, o.fax,
       o.stopped_at IS NOT NULL AS stopped, o.directory_version,
       p.address, p.hours, p.municipalities, p.area_detail, p.radius_km, p.offers,
       p.accepting, p.care_managers, p.confirmed,
       coalesce((SELECT jsonb_agg(jsonb_build_object('ward_type', b.ward_type,
           'capacity', b.capacity, 'available', b.available, 'updated_at', b.updated_at)
           ORDER BY b.ward_type)
         FROM hospital_beds b WHERE b.hospital_id = o.id), '[]'::jsonb) AS beds
     FROM organisations o LEFT JOIN organisation_profiles p ON p.organisation_id = o.id";

/// The listings changed after `since`, in directory-version order (the
/// desk itself is no listing).
pub(crate) async fn changed_since(
    conn: &mut PgConnection,
    since: i64,
    limit: i64,
) -> sqlx::Result<Vec<ListingRow>> {
    // Only constants are formatted in: every value is bound.
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING} WHERE o.kind <> 'desk' AND o.directory_version > $1
         ORDER BY o.directory_version LIMIT $2"
    )))
    .bind(since)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The directory version of the latest commit.
pub(crate) async fn latest_version(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT last FROM directory_counter")
        .fetch_one(conn)
        .await
}

/// The listings of `ids`, in that order.
pub(crate) async fn by_ids(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<ListingRow>> {
    // Only a constant is formatted in: the ids are bound.
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING} WHERE o.id = ANY($1) ORDER BY array_position($1, o.id)"
    )))
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// Writes the search key of every organisation that lacks one (those from
/// before migration 0026; the folding table is Rust's, so SQL cannot).
pub(crate) async fn key_unkeyed(pool: &sqlx::PgPool) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let unkeyed: Vec<(Uuid, String, String)> =
        sqlx::query_as("SELECT id, name, name_kana FROM organisations WHERE search_key = ''")
            .fetch_all(&mut *tx)
            .await?;
    for (id, name, kana) in &unkeyed {
        sqlx::query("UPDATE organisations SET search_key = $2 WHERE id = $1")
            .bind(id)
            .bind(listing_name_key(name, kana))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
