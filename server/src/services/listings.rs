//! The directory's listings (issue 18, ADR 0032): pages of those changed
//! after a device's directory version, and the portal's search (matched
//! by `DirectoryIndex`, then read whole). Neither
//! is patient data: the directory is what organisations say of
//! themselves to the region.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tsunagu_domain::directory::beds::WardType;
use tsunagu_domain::directory::search::{DirectoryQuery, Freshness, freshness};
use tsunagu_domain::directory::{Accepting, Offer, ProfilePart};
use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::{DirectoryResponse, WireBeds, WireConfirmed, WireListing};
use uuid::Uuid;

use crate::db;
use crate::db::listings::{BedsJson, ListingRow};
use crate::services::directory_index::DirectoryIndex;

/// The listings after `since`, `limit` at most.
pub(crate) async fn page(pool: &PgPool, since: i64, limit: u32) -> sqlx::Result<DirectoryResponse> {
    let mut conn = pool.acquire().await?;
    // One more than asked says whether more wait.
    let mut rows = db::listings::changed_since(&mut conn, since, i64::from(limit) + 1).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let through = rows.last().map_or(since, |r| r.directory_version);
    Ok(DirectoryResponse {
        listings: rows.into_iter().map(wire).collect(),
        through,
        more,
    })
}

fn wire(row: ListingRow) -> WireListing {
    let small = |n: Option<i16>| n.and_then(|n| u16::try_from(n).ok());
    WireListing {
        confirmed: confirmed(row.confirmed.as_ref())
            .into_iter()
            .map(|(part, at)| WireConfirmed {
                part: part.code().to_string(),
                at,
            })
            .collect(),
        beds: beds(&row.beds)
            .into_iter()
            .map(|b| WireBeds {
                ward_type: b.ward_type,
                capacity: u16::try_from(b.capacity).unwrap_or(0),
                available: u16::try_from(b.available).unwrap_or(0),
                updated_at: b.updated_at,
            })
            .collect(),
        id: row.id,
        name: row.name,
        name_kana: row.name_kana,
        kind: row.kind,
        phone: row.phone,
        fax: row.fax,
        address: row.address.unwrap_or_default(),
        hours: row.hours.unwrap_or_default(),
        municipalities: row.municipalities.unwrap_or_default(),
        area_detail: row.area_detail.unwrap_or_default(),
        radius_km: small(row.radius_km),
        offers: row.offers.unwrap_or_default(),
        accepting: row.accepting,
        care_managers: small(row.care_managers),
        stopped: row.stopped,
        directory_version: row.directory_version,
    }
}

/// When each part was confirmed, as stored (`{part: rfc3339}`).
fn confirmed(stored: Option<&serde_json::Value>) -> Vec<(ProfilePart, DateTime<Utc>)> {
    let Some(map) = stored.and_then(|v| v.as_object()) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(code, at)| {
            let part = ProfilePart::from_code(code)?;
            let at = DateTime::parse_from_rfc3339(at.as_str()?).ok()?;
            Some((part, at.with_timezone(&Utc)))
        })
        .collect()
}

fn beds(stored: &serde_json::Value) -> Vec<BedsJson> {
    serde_json::from_value(stored.clone()).unwrap_or_default()
}

/// One result of the portal's search.
pub(crate) struct Listing {
    pub id: Uuid,
    pub name: String,
    pub kind: Option<OrganisationKind>,
    pub phone: String,
    pub fax: String,
    pub address: String,
    pub hours: String,
    pub municipalities: Vec<String>,
    pub offers: Vec<Offer>,
    pub accepting: Option<Accepting>,
    /// (ward type, free, beds, when said).
    pub beds: Vec<(WardType, u16, u16, DateTime<Utc>)>,
    pub freshness: Freshness,
}

/// The portal's search: the first `limit` results and how many in all.
pub(crate) async fn search(
    pool: &PgPool,
    index: &DirectoryIndex,
    query: &DirectoryQuery,
    limit: usize,
    now: DateTime<Utc>,
) -> sqlx::Result<(Vec<Listing>, usize)> {
    let mut conn = pool.acquire().await?;
    let (ids, total) = index.search(&mut conn, query, limit).await?;
    let rows = db::listings::by_ids(&mut conn, &ids).await?;
    let listings = rows
        .into_iter()
        .map(|row| {
            let kind = OrganisationKind::from_code(&row.kind);
            let fresh = kind.map_or(
                Freshness {
                    oldest: None,
                    stale: true,
                },
                |k| freshness(k, &confirmed(row.confirmed.as_ref()), now),
            );
            Listing {
                beds: beds(&row.beds)
                    .into_iter()
                    .filter_map(|b| {
                        Some((
                            WardType::from_code(&b.ward_type)?,
                            u16::try_from(b.available).ok()?,
                            u16::try_from(b.capacity).ok()?,
                            b.updated_at,
                        ))
                    })
                    .collect(),
                offers: row
                    .offers
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|c| Offer::from_code(c))
                    .collect(),
                accepting: row.accepting.as_deref().and_then(Accepting::from_code),
                id: row.id,
                name: row.name,
                kind,
                phone: row.phone,
                fax: row.fax,
                address: row.address.unwrap_or_default(),
                hours: row.hours.unwrap_or_default(),
                municipalities: row.municipalities.unwrap_or_default(),
                freshness: fresh,
            }
        })
        .collect();
    Ok((listings, total))
}
