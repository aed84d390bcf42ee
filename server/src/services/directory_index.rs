//! The portal's directory search (issue 18, ADR 0032): the domain's
//! `DirectoryQuery::matches` — the same rule the desktop runs over its
//! copy — over this process's copy of every listing's facts, kept in the
//! order results are shown. Before each search the copy reads the
//! directory version and takes the listings changed since, so every
//! process of the server answers from the database's latest commit; only
//! the page's 50 results are then read whole.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::PgConnection;
use tokio::sync::RwLock;
use tsunagu_domain::directory::beds::WardType;
use tsunagu_domain::directory::search::{DirectoryQuery, ListingFacts, accepting_rank};
use tsunagu_domain::directory::{Accepting, Offer};
use tsunagu_domain::team::OrganisationKind;
use uuid::Uuid;

use crate::db;
use crate::db::listings::{BedsJson, ListingRow};

/// Listings read per statement while the copy catches up.
const PAGE: i64 = 10_000;

/// The copy, shared by the process's requests.
#[derive(Clone, Default)]
pub struct DirectoryIndex {
    copy: Arc<RwLock<Copy>>,
}

#[derive(Default)]
struct Copy {
    /// The directory version the copy holds.
    version: i64,
    by_id: HashMap<Uuid, Arc<Facts>>,
    /// In the order results are shown.
    sorted: Vec<Arc<Facts>>,
}

/// What a search asks of a listing, as the domain's `ListingFacts` reads it.
struct Facts {
    id: Uuid,
    kind: OrganisationKind,
    name_key: String,
    offers: Vec<Offer>,
    municipalities: Vec<String>,
    accepting: Option<Accepting>,
    free_beds: Vec<(WardType, u16)>,
    stopped: bool,
    /// The domain's `accepting_rank`, then the reading.
    order: (u8, String, Uuid),
}

impl Facts {
    fn of(row: ListingRow) -> Option<Facts> {
        let kind = OrganisationKind::from_code(&row.kind)?;
        let accepting = row.accepting.as_deref().and_then(Accepting::from_code);
        let beds: Vec<BedsJson> = serde_json::from_value(row.beds).unwrap_or_default();
        let reading = if row.name_kana.is_empty() {
            row.name.clone()
        } else {
            row.name_kana.clone()
        };
        Some(Facts {
            id: row.id,
            kind,
            name_key: row.search_key,
            offers: row
                .offers
                .unwrap_or_default()
                .iter()
                .filter_map(|c| Offer::from_code(c))
                .collect(),
            municipalities: row.municipalities.unwrap_or_default(),
            accepting,
            free_beds: beds
                .iter()
                .filter_map(|b| {
                    Some((
                        WardType::from_code(&b.ward_type)?,
                        u16::try_from(b.available).ok()?,
                    ))
                })
                .collect(),
            stopped: row.stopped,
            order: (accepting_rank(accepting), reading, row.id),
        })
    }

    fn facts(&self) -> ListingFacts<'_> {
        ListingFacts {
            kind: self.kind,
            name_key: &self.name_key,
            offers: &self.offers,
            municipalities: &self.municipalities,
            accepting: self.accepting,
            free_beds: &self.free_beds,
            stopped: self.stopped,
        }
    }
}

impl DirectoryIndex {
    /// The ids of the first `limit` listings answering `query`, in order,
    /// and how many answer in all.
    pub(crate) async fn search(
        &self,
        conn: &mut PgConnection,
        query: &DirectoryQuery,
        limit: usize,
    ) -> sqlx::Result<(Vec<Uuid>, usize)> {
        self.catch_up(conn).await?;
        let copy = self.copy.read().await;
        let mut first = Vec::with_capacity(limit);
        let mut total = 0;
        for listing in &copy.sorted {
            if query.matches(&listing.facts()) {
                total += 1;
                if first.len() < limit {
                    first.push(listing.id);
                }
            }
        }
        Ok((first, total))
    }

    /// Takes the listings changed since the copy's version.
    async fn catch_up(&self, conn: &mut PgConnection) -> sqlx::Result<()> {
        let latest = db::listings::latest_version(&mut *conn).await?;
        if self.copy.read().await.version >= latest {
            return Ok(());
        }
        let mut copy = self.copy.write().await;
        let mut changed = false;
        loop {
            let rows = db::listings::changed_since(&mut *conn, copy.version, PAGE).await?;
            let full = rows.len() as i64 == PAGE;
            for row in rows {
                copy.version = copy.version.max(row.directory_version);
                let id = row.id;
                match Facts::of(row) {
                    Some(facts) => copy.by_id.insert(id, Arc::new(facts)),
                    None => copy.by_id.remove(&id),
                };
                changed = true;
            }
            if !full {
                break;
            }
        }
        // Rows of the desk move the version without a listing.
        copy.version = copy.version.max(latest);
        if changed {
            let mut sorted: Vec<Arc<Facts>> = copy.by_id.values().cloned().collect();
            sorted.sort_by(|a, b| a.order.cmp(&b.order));
            copy.sorted = sorted;
        }
        Ok(())
    }
}
