//! The directory's listings (migration 0026): each organisation with its
//! profile and beds, read whole — by directory version for devices, by a
//! search for the portal — and the name's search key kept beside it.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tsunagu_domain::directory::Accepting;
use tsunagu_domain::directory::search::{DirectoryQuery, accepting_rank, listing_name_key};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ListingRow {
    pub id: Uuid,
    pub name: String,
    pub name_kana: String,
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

const LISTING: &str = "SELECT o.id, o.name, o.name_kana, o.kind, o.phone, o.fax,
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

/// Those answering `query` (the domain's `DirectoryQuery::matches`, asked
/// of PostgreSQL), those taking patients first, then by reading; and how
/// many answer in all.
pub(crate) async fn search(
    conn: &mut PgConnection,
    query: &DirectoryQuery,
    limit: i64,
) -> sqlx::Result<(Vec<ListingRow>, i64)> {
    let offers: Vec<&str> = query.offers.iter().map(|o| o.code()).collect();
    let filter = "o.kind <> 'desk' AND o.stopped_at IS NULL
        AND ($1::text IS NULL OR o.kind = $1)
        AND ($2::text IS NULL OR o.search_key LIKE '%' || $2 || '%')
        AND coalesce(p.offers, '{}') @> $3::text[]
        AND ($4::text IS NULL OR $4 = ANY(p.municipalities))
        AND (NOT $5 OR p.accepting = 'yes')
        AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM hospital_beds b
              WHERE b.hospital_id = o.id AND b.ward_type = $6 AND b.available > 0))";
    // Only constants (and the domain's codes) are formatted in: every
    // value is bound.
    let rows: Vec<ListingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING} WHERE {filter}
         ORDER BY {rank}, coalesce(nullif(o.name_kana, ''), o.name), o.id LIMIT $7",
        rank = rank_sql()
    )))
    .bind(query.kind.map(|k| k.code()))
    .bind(query.name_key.as_deref().map(like_escaped))
    .bind(&offers)
    .bind(query.municipality.as_deref())
    .bind(query.accepting_only)
    .bind(query.open_beds.map(|w| w.code()))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM organisations o
           LEFT JOIN organisation_profiles p ON p.organisation_id = o.id WHERE {filter}"
    )))
    .bind(query.kind.map(|k| k.code()))
    .bind(query.name_key.as_deref().map(like_escaped))
    .bind(&offers)
    .bind(query.municipality.as_deref())
    .bind(query.accepting_only)
    .bind(query.open_beds.map(|w| w.code()))
    .fetch_one(conn)
    .await?;
    Ok((rows, total))
}

/// The domain's `accepting_rank` as SQL, so the order lives there.
fn rank_sql() -> String {
    let mut sql = String::from("CASE p.accepting");
    for a in Accepting::ALL {
        sql.push_str(&format!(
            " WHEN '{}' THEN {}",
            a.code(),
            accepting_rank(Some(a))
        ));
    }
    sql.push_str(&format!(" ELSE {} END", accepting_rank(None)));
    sql
}

/// A search key as a LIKE pattern's middle: `%`, `_` and `\` are literal.
fn like_escaped(key: &str) -> String {
    key.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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
