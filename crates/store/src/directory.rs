//! The regional directory on the clinic's PC (issue 18): each
//! organisation's listing as `/v1/directory` last sent it, kept on its
//! `team_directory` row (migration 0020), and the search over it.
//!
//! The search runs over an in-memory copy of the listings that are not
//! stopped, already in the domain's result order (`accepting_rank`, then
//! the reading): a search is one pass of the domain's
//! `DirectoryQuery::matches` over it, with no SQL. The two writers of the
//! table in this crate (the listing pull, and the feed's
//! `DirectoryListed`) count their writes when they commit; a search whose
//! copy has not seen them all (or the sync's warm-up) reads it again.

use std::sync::atomic::{AtomicU64, Ordering};
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
pub(crate) struct DirectoryCache {
    index: Mutex<Option<Arc<DirectoryIndex>>>,
    /// Counts the writes to `team_directory` committed; a copy is current
    /// while it has seen them all.
    writes: AtomicU64,
}

impl std::fmt::Debug for DirectoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DirectoryCache")
    }
}

/// The listings not stopped, in result order, each with what matching asks.
///
/// The domain's `matches` decides every result shown. Before it, each listing's
/// facts are kept again in a compact form side by side (kind, offers and
/// free beds as bits, the area as numbers into `municipalities`) and the
/// names as one text, so that a search reads contiguous memory and asks
/// `matches` only of the listings that can answer: a pass over 30,000
/// listings scattered on the heap costs a cache miss or more each. The
/// narrowing is exact (it takes what `matches` takes, a test holds the two
/// to the same results and counts), so past the results shown it alone
/// counts.
pub(crate) struct DirectoryIndex {
    /// `DirectoryCache::writes` when the table was read for it.
    seen: u64,
    entries: Vec<Indexed>,
    /// Beside `entries`, one for one.
    compact: Vec<Compact>,
    /// The listings' areas, as indexes into `municipalities`.
    areas: Vec<u16>,
    /// Every 市区町村 a listing serves, once each, sorted.
    municipalities: Vec<String>,
    /// The name keys, in `entries`' order, each followed by `NAME_END`.
    names: String,
    /// Where each listing's key starts in `names`.
    name_starts: Vec<usize>,
}

/// Ends each name key in `DirectoryIndex::names` (no key holds one).
const NAME_END: char = '\n';

#[derive(Clone, Copy)]
struct Compact {
    kind: OrganisationKind,
    accepting: Option<Accepting>,
    /// A bit per `Offer::ALL` position.
    offers: u32,
    /// A bit per `WardType::ALL` position with free beds.
    free_beds: u8,
    /// This listing's range of `DirectoryIndex::areas`.
    areas_from: u32,
    areas_len: u16,
}

fn offer_bit(offer: Offer) -> u32 {
    Offer::ALL
        .iter()
        .position(|o| *o == offer)
        .map_or(0, |i| 1 << i)
}

fn ward_bit(ward: WardType) -> u8 {
    WardType::ALL
        .iter()
        .position(|w| *w == ward)
        .map_or(0, |i| 1 << i)
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
    fn build(seen: u64, listings: Vec<ListingRecord>) -> DirectoryIndex {
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
        let mut compact = Vec::with_capacity(entries.len());
        let mut areas = Vec::new();
        let mut names = String::new();
        let mut name_starts = Vec::with_capacity(entries.len());
        for entry in &entries {
            let l = &entry.listing;
            let areas_from = areas.len();
            areas.extend(l.municipalities.iter().filter_map(|m| {
                municipalities
                    .binary_search(m)
                    .ok()
                    .and_then(|i| u16::try_from(i).ok())
            }));
            compact.push(Compact {
                kind: l.kind,
                accepting: l.accepting,
                offers: l.offers.iter().fold(0, |bits, o| bits | offer_bit(*o)),
                free_beds: entry
                    .free_beds
                    .iter()
                    .filter(|(_, free)| *free > 0)
                    .fold(0, |bits, (w, _)| bits | ward_bit(*w)),
                areas_from: u32::try_from(areas_from).unwrap_or(u32::MAX),
                areas_len: u16::try_from(areas.len() - areas_from).unwrap_or(u16::MAX),
            });
            name_starts.push(names.len());
            // A key holding the end mark is kept without it: only the
            // narrowing reads `names`, and `matches` reads the key itself.
            names.extend(entry.name_key.chars().filter(|c| *c != NAME_END));
            names.push(NAME_END);
        }
        DirectoryIndex {
            seen,
            entries,
            compact,
            areas,
            municipalities,
            names,
            name_starts,
        }
    }

    fn search(&self, query: &DirectoryQuery, limit: usize) -> DirectoryPage {
        let mut page = DirectoryPage {
            listings: Vec::new(),
            total: 0,
        };
        let Some(narrow) = self.narrowing(query) else {
            return page;
        };
        // The results shown are those `matches` takes; past them, the
        // count is the narrowing's (the two agree: the test says so), so
        // counting the whole directory does not read every listing.
        let mut take = |i: usize| {
            let (Some(entry), Some(compact)) = (self.entries.get(i), self.compact.get(i)) else {
                return;
            };
            if !narrow.may_match(compact, &self.areas) {
                return;
            }
            if page.listings.len() < limit {
                if query.matches(&entry.facts()) {
                    page.listings.push(Arc::clone(&entry.listing));
                    page.total += 1;
                }
            } else {
                page.total += 1;
            }
        };
        match query.name_key.as_deref() {
            Some(key) if !key.contains(NAME_END) && !key.is_empty() => {
                // The listings whose key holds it, in order, each once.
                let finder = memchr::memmem::Finder::new(key.as_bytes());
                let mut last = None;
                for at in finder.find_iter(self.names.as_bytes()) {
                    let i = self.name_starts.partition_point(|start| *start <= at) - 1;
                    if last != Some(i) {
                        take(i);
                        last = Some(i);
                    }
                }
            }
            _ => (0..self.entries.len()).for_each(take),
        }
        page
    }

    /// What the query asks, in the compact terms; `None` when no listing
    /// can answer (an area no listing serves).
    fn narrowing(&self, query: &DirectoryQuery) -> Option<Narrowing> {
        let area = match query.municipality.as_deref() {
            None => None,
            Some(m) => Some(
                self.municipalities
                    .binary_search_by(|known| known.as_str().cmp(m))
                    .ok()
                    .and_then(|i| u16::try_from(i).ok())?,
            ),
        };
        Some(Narrowing {
            kind: query.kind,
            offers: query.offers.iter().fold(0, |bits, o| bits | offer_bit(*o)),
            area,
            accepting_only: query.accepting_only,
            free_beds: query.open_beds.map(ward_bit),
        })
    }
}

struct Narrowing {
    kind: Option<OrganisationKind>,
    offers: u32,
    area: Option<u16>,
    accepting_only: bool,
    free_beds: Option<u8>,
}

impl Narrowing {
    /// Whether a listing may answer: never false for one `matches` takes.
    fn may_match(&self, c: &Compact, areas: &[u16]) -> bool {
        self.kind.is_none_or(|k| k == c.kind)
            && c.offers & self.offers == self.offers
            && (!self.accepting_only || c.accepting == Some(Accepting::Yes))
            && self.free_beds.is_none_or(|bit| c.free_beds & bit != 0)
            && self.area.is_none_or(|area| {
                let from = c.areas_from as usize;
                areas
                    .get(from..from + usize::from(c.areas_len))
                    .is_some_and(|served| served.contains(&area))
            })
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
        self.directory.mark_stale();
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

    /// Reads the search's copy again if the directory changed since it was
    /// (after a sync, so that the next search need not).
    pub async fn warm_directory(&self) -> StoreResult<()> {
        self.directory_index().await.map(|_| ())
    }

    /// Every 市区町村 the listings serve (those not stopped), once each.
    pub async fn directory_municipalities(&self) -> StoreResult<Vec<String>> {
        Ok(self.directory_index().await?.municipalities.clone())
    }

    /// The in-memory copy, read again if the table changed since it was
    /// (no SQL otherwise: a round trip to SQLite's thread costs more than
    /// the search, and more again on a busy machine).
    async fn directory_index(&self) -> StoreResult<Arc<DirectoryIndex>> {
        // Read before the table: a write committing meanwhile is not seen.
        let writes = self.directory.writes.load(Ordering::Acquire);
        if let Some(index) = self.directory.current()
            && index.seen == writes
        {
            return Ok(index);
        }
        let index = Arc::new(read_index(&self.pool, writes).await?);
        self.directory.keep(&index);
        Ok(index)
    }
}

impl DirectoryCache {
    pub(crate) fn mark_stale(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    fn current(&self) -> Option<Arc<DirectoryIndex>> {
        // A poisoned lock only means another search panicked mid-swap of an
        // Arc: the value is whole either way.
        match self.index.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn keep(&self, index: &Arc<DirectoryIndex>) {
        let mut guard = match self.index.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Of two read at once, the one that saw more writes stays.
        if guard.as_ref().is_none_or(|held| held.seen <= index.seen) {
            *guard = Some(Arc::clone(index));
        }
    }
}

/// The table, as it is after the `seen` writes (at least).
async fn read_index(pool: &SqlitePool, seen: u64) -> StoreResult<DirectoryIndex> {
    let rows: Vec<ListingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LISTING_COLUMNS} FROM team_directory WHERE stopped = 0"
    )))
    .fetch_all(pool)
    .await?;
    let listings = rows
        .into_iter()
        .map(ListingRow::record)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(DirectoryIndex::build(seen, listings))
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

/// After a batch of the feed is stored: its `DirectoryListed` changes
/// wrote `team_directory`.
pub(crate) fn note_pulled(cache: &DirectoryCache, changes: &[(i64, crate::PulledChange)]) {
    if changes.iter().any(|(_, change)| {
        matches!(
            change,
            crate::PulledChange::Team(crate::TeamPulled::Directory(_))
        )
    }) {
        cache.mark_stale();
    }
}

/// A server restored from a backup numbers its directory from where its
/// backup stood: the copy is read again from the start.
pub(crate) async fn forget_through(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query("UPDATE directory_state SET through = 0 WHERE only_one = 1")
        .execute(conn)
        .await?;
    Ok(())
}
