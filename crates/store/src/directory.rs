//! The regional directory on the clinic's PC (issue 18): each
//! organisation's listing as `/v1/directory` last sent it, kept on its
//! `team_directory` row (migration 0020), and the search over it.
//!
//! The search runs over an in-memory copy of the listings that are not
//! stopped, already in the domain's result order (`accepting_rank`, then
//! the reading): a search is one pass of the domain's
//! `DirectoryQuery::matches` over it, with no SQL but one read of the
//! directory's generation, which a trigger bumps on every change to the
//! table (whoever writes it: the listing pull or the feed). When it has
//! moved, the copy is read again before searching.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};
use tsunagu_domain::directory::beds::WardType;
use tsunagu_domain::directory::search::{
    DirectoryQuery, ListingFacts, accepting_rank, listing_name_key,
};
use tsunagu_domain::directory::{Accepting, Offer, ProfilePart};
use tsunagu_domain::team::OrganisationKind;
use uuid::Uuid;

use crate::Store;
use crate::batch::insert_rows;
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

/// One organisation's listing, in the domain's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRecord {
    pub id: Uuid,
    pub name: String,
    pub name_kana: String,
    pub kind: OrganisationKind,
    pub phone: String,
    pub fax: String,
    pub address: String,
    pub hours: String,
    pub municipalities: Vec<String>,
    pub area_detail: String,
    pub radius_km: Option<u16>,
    pub offers: Vec<Offer>,
    pub accepting: Option<Accepting>,
    pub care_managers: Option<u16>,
    /// When each part was last confirmed.
    pub confirmed: Vec<(ProfilePart, DateTime<Utc>)>,
    pub beds: Vec<ListingBeds>,
    pub stopped: bool,
    pub directory_version: i64,
}

/// A hospital's beds of one ward type, with when they were said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingBeds {
    pub ward_type: WardType,
    pub capacity: u16,
    pub available: u16,
    pub updated_at: DateTime<Utc>,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPage {
    /// The first `limit`, in the domain's order.
    pub listings: Vec<Arc<ListingRecord>>,
    /// How many answer in all.
    pub total: usize,
}

/// The search's in-memory copy, shared by the store's clones.
#[derive(Default)]
pub(crate) struct DirectoryCache(Mutex<Option<Arc<DirectoryIndex>>>);

impl std::fmt::Debug for DirectoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DirectoryCache")
    }
}

/// The listings not stopped, in result order, each with what matching asks.
pub(crate) struct DirectoryIndex {
    generation: i64,
    entries: Vec<Indexed>,
    /// Every 市区町村 a listing serves, once each, sorted.
    municipalities: Vec<String>,
}

struct Indexed {
    listing: Arc<ListingRecord>,
    name_key: String,
    free_beds: Vec<(WardType, u16)>,
}

impl Indexed {
    fn facts(&self) -> ListingFacts<'_> {
        ListingFacts {
            kind: self.listing.kind,
            name_key: &self.name_key,
            offers: &self.listing.offers,
            municipalities: &self.listing.municipalities,
            accepting: self.listing.accepting,
            free_beds: &self.free_beds,
            stopped: self.listing.stopped,
        }
    }
}

impl DirectoryIndex {
    fn build(generation: i64, listings: Vec<ListingRecord>) -> DirectoryIndex {
        let mut entries: Vec<Indexed> = listings
            .into_iter()
            .filter(|l| !l.stopped)
            .map(|l| Indexed {
                name_key: listing_name_key(&l.name, &l.name_kana),
                free_beds: l.beds.iter().map(|b| (b.ward_type, b.available)).collect(),
                listing: Arc::new(l),
            })
            .collect();
        entries.sort_by(|a, b| {
            let (a, b) = (&a.listing, &b.listing);
            accepting_rank(a.accepting)
                .cmp(&accepting_rank(b.accepting))
                .then_with(|| reading(a).cmp(reading(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut municipalities: Vec<String> = entries
            .iter()
            .flat_map(|e| e.listing.municipalities.iter().cloned())
            .collect();
        municipalities.sort();
        municipalities.dedup();
        DirectoryIndex {
            generation,
            entries,
            municipalities,
        }
    }

    fn search(&self, query: &DirectoryQuery, limit: usize) -> DirectoryPage {
        let mut listings = Vec::new();
        let mut total = 0;
        for entry in &self.entries {
            if query.matches(&entry.facts()) {
                if listings.len() < limit {
                    listings.push(Arc::clone(&entry.listing));
                }
                total += 1;
            }
        }
        DirectoryPage { listings, total }
    }
}

/// What results are ordered by after their rank: the reading, or the name
/// when there is none.
fn reading(listing: &ListingRecord) -> &str {
    if listing.name_kana.is_empty() {
        &listing.name
    } else {
        &listing.name_kana
    }
}

/// The lists as stored (JSON arrays of codes).
type ConfirmedJson = Vec<(String, DateTime<Utc>)>;
type BedsJson = Vec<(String, u16, u16, DateTime<Utc>)>;

const LISTING_COLUMNS: &str = "id, name, name_kana, kind, phone, fax, address, hours, \
     municipalities, area_detail, radius_km, offers, accepting, care_managers, confirmed, beds, \
     stopped, directory_version";

#[derive(sqlx::FromRow)]
struct ListingRow {
    id: Id,
    name: String,
    name_kana: String,
    kind: String,
    phone: String,
    fax: String,
    address: String,
    hours: String,
    municipalities: String,
    area_detail: String,
    radius_km: Option<i64>,
    offers: String,
    accepting: Option<String>,
    care_managers: Option<i64>,
    confirmed: String,
    beds: String,
    stopped: bool,
    directory_version: i64,
}

fn json<T: for<'de> Deserialize<'de>>(text: &str, what: &'static str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|_| StoreError::Corrupt(what))
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Vectors of strings, numbers and dates always serialise.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

impl ListingRow {
    fn record(self) -> StoreResult<ListingRecord> {
        let codes: Vec<String> = json(&self.offers, "directory offers")?;
        let confirmed: ConfirmedJson = json(&self.confirmed, "directory confirmed")?;
        let beds: BedsJson = json(&self.beds, "directory beds")?;
        let small = |n: Option<i64>| n.and_then(|n| u16::try_from(n).ok());
        Ok(ListingRecord {
            id: self.id.0,
            kind: OrganisationKind::from_code(&self.kind)
                .ok_or(StoreError::Corrupt("organisation kind"))?,
            municipalities: json(&self.municipalities, "directory municipalities")?,
            offers: codes
                .iter()
                .map(|c| Offer::from_code(c).ok_or(StoreError::Corrupt("directory offer")))
                .collect::<StoreResult<_>>()?,
            accepting: self
                .accepting
                .as_deref()
                .map(|c| Accepting::from_code(c).ok_or(StoreError::Corrupt("directory accepting")))
                .transpose()?,
            confirmed: confirmed
                .into_iter()
                .map(|(part, at)| {
                    ProfilePart::from_code(&part)
                        .map(|p| (p, at))
                        .ok_or(StoreError::Corrupt("directory part"))
                })
                .collect::<StoreResult<_>>()?,
            beds: beds
                .into_iter()
                .map(|(ward, capacity, available, updated_at)| {
                    Ok(ListingBeds {
                        ward_type: WardType::from_code(&ward)
                            .ok_or(StoreError::Corrupt("directory ward type"))?,
                        capacity,
                        available,
                        updated_at,
                    })
                })
                .collect::<StoreResult<_>>()?,
            radius_km: small(self.radius_km),
            care_managers: small(self.care_managers),
            name: self.name,
            name_kana: self.name_kana,
            phone: self.phone,
            fax: self.fax,
            address: self.address,
            hours: self.hours,
            area_detail: self.area_detail,
            stopped: self.stopped,
            directory_version: self.directory_version,
        })
    }
}

impl Store {
    /// The directory version held: the next pull's `since`.
    pub async fn directory_through(&self) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT through FROM directory_state WHERE only_one = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// A page of listings and the version it brings the copy to, in one
    /// transaction: each listing replaces its organisation's row whole.
    pub async fn upsert_listings(
        &self,
        listings: &[ListingRecord],
        through: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
        write_listings(&mut tx, listings, now).await?;
        sqlx::query("UPDATE directory_state SET through = ? WHERE only_one = 1")
            .bind(through)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Listings answering `query` (stopped ones never), those taking new
    /// patients first, then by reading; the first `limit` and how many in
    /// all.
    pub async fn search_directory(
        &self,
        query: &DirectoryQuery,
        limit: usize,
    ) -> StoreResult<DirectoryPage> {
        Ok(self.directory_index().await?.search(query, limit))
    }

    /// Every 市区町村 the listings serve (those not stopped), once each.
    pub async fn directory_municipalities(&self) -> StoreResult<Vec<String>> {
        Ok(self.directory_index().await?.municipalities.clone())
    }

    /// The in-memory copy, read again if the table changed since it was.
    async fn directory_index(&self) -> StoreResult<Arc<DirectoryIndex>> {
        let generation: i64 =
            sqlx::query_scalar("SELECT generation FROM directory_state WHERE only_one = 1")
                .fetch_one(&self.pool)
                .await?;
        if let Some(index) = self.directory.current()
            && index.generation == generation
        {
            return Ok(index);
        }
        let index = Arc::new(read_index(&self.pool).await?);
        self.directory.keep(&index);
        Ok(index)
    }
}

impl DirectoryCache {
    fn current(&self) -> Option<Arc<DirectoryIndex>> {
        // A poisoned lock only means another search panicked mid-swap of an
        // Arc: the value is whole either way.
        match self.0.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn keep(&self, index: &Arc<DirectoryIndex>) {
        let mut guard = match self.0.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Of two rebuilt at once, the newer stays.
        if guard
            .as_ref()
            .is_none_or(|held| held.generation <= index.generation)
        {
            *guard = Some(Arc::clone(index));
        }
    }
}

/// The table and its generation, read in one transaction.
async fn read_index(pool: &SqlitePool) -> StoreResult<DirectoryIndex> {
    let mut tx = pool.begin().await?;
    let generation: i64 =
        sqlx::query_scalar("SELECT generation FROM directory_state WHERE only_one = 1")
            .fetch_one(&mut *tx)
            .await?;
    let rows: Vec<ListingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LISTING_COLUMNS} FROM team_directory WHERE stopped = 0"
    )))
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let listings = rows
        .into_iter()
        .map(ListingRow::record)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(DirectoryIndex::build(generation, listings))
}

async fn write_listings(
    conn: &mut SqliteConnection,
    listings: &[ListingRecord],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    insert_rows(
        conn,
        "INSERT INTO team_directory (id, name, name_kana, kind, phone, fax, address, hours, \
         municipalities, area_detail, radius_km, offers, accepting, care_managers, confirmed, \
         beds, stopped, directory_version, updated_at) ",
        listings,
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_kana = excluded.name_kana,
             kind = excluded.kind, phone = excluded.phone, fax = excluded.fax,
             address = excluded.address, hours = excluded.hours,
             municipalities = excluded.municipalities, area_detail = excluded.area_detail,
             radius_km = excluded.radius_km, offers = excluded.offers,
             accepting = excluded.accepting, care_managers = excluded.care_managers,
             confirmed = excluded.confirmed, beds = excluded.beds, stopped = excluded.stopped,
             directory_version = excluded.directory_version, updated_at = excluded.updated_at",
        |mut row, l| {
            let offers: Vec<&str> = l.offers.iter().map(|o| o.code()).collect();
            let confirmed: Vec<(&str, DateTime<Utc>)> =
                l.confirmed.iter().map(|(p, at)| (p.code(), *at)).collect();
            let beds: Vec<(&str, u16, u16, DateTime<Utc>)> = l
                .beds
                .iter()
                .map(|b| (b.ward_type.code(), b.capacity, b.available, b.updated_at))
                .collect();
            row.push_bind(Id(l.id))
                .push_bind(l.name.clone())
                .push_bind(l.name_kana.clone())
                .push_bind(l.kind.code())
                .push_bind(l.phone.clone())
                .push_bind(l.fax.clone())
                .push_bind(l.address.clone())
                .push_bind(l.hours.clone())
                .push_bind(to_json(&l.municipalities))
                .push_bind(l.area_detail.clone())
                .push_bind(l.radius_km.map(i64::from))
                .push_bind(to_json(&offers))
                .push_bind(l.accepting.map(Accepting::code))
                .push_bind(l.care_managers.map(i64::from))
                .push_bind(to_json(&confirmed))
                .push_bind(to_json(&beds))
                .push_bind(l.stopped)
                .push_bind(l.directory_version)
                .push_bind(now);
        },
    )
    .await
}

/// A server restored from a backup numbers its directory from where its
/// backup stood: the copy is read again from the start.
pub(crate) async fn forget_through(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query("UPDATE directory_state SET through = 0 WHERE only_one = 1")
        .execute(conn)
        .await?;
    Ok(())
}
