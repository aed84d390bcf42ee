//! The regional directory's listings (protocol 9, `POST /v1/directory`):
//! after the feed, the listings changed since the version the store holds,
//! in pages of 5,000, each page stored with its version in one
//! transaction. The next page is fetched while one is written. A server
//! older than protocol 9 answers 404: there is no directory to pull, and
//! that is no error.

use tsunagu_domain::directory::beds::WardType;
use tsunagu_domain::directory::{Accepting, Offer, ProfilePart};
use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::{DirectoryRequest, DirectoryResponse, PROTOCOL_VERSION, WireListing};
use tsunagu_store::{ListingBeds, ListingRecord};

use super::json;
use super::push::Link;
use crate::App;
use crate::error::AppError;
use crate::sync::{garbled, read, unreachable};

/// Listings per page.
pub const DIRECTORY_PAGE: u32 = 5_000;

/// A page of listings in the store's terms.
struct ListingPage {
    listings: Vec<ListingRecord>,
    through: i64,
    more: bool,
}

impl App {
    /// Pulls the directory from the version held to its end; the listings
    /// stored.
    pub(super) async fn pull_directory(&self, link: &Link<'_>) -> Result<usize, AppError> {
        let since = self.store.directory_through().await?;
        let (pages, mut received) = tokio::sync::mpsc::channel(1);
        let fetcher = tokio::spawn(fetch_listing_pages(
            link.http.clone(),
            link.server_url.to_string(),
            link.credential.to_string(),
            since,
            pages,
        ));
        let stored = async {
            let mut stored = 0;
            while let Some(page) = received.recv().await {
                // `None`: the server has no directory (older than protocol 9).
                let Some(page) = page? else { break };
                self.store
                    .upsert_listings(&page.listings, page.through, self.clock.now())
                    .await?;
                stored += page.listings.len();
                if !page.more {
                    break;
                }
            }
            Ok::<_, AppError>(stored)
        }
        .await;
        fetcher.abort();
        // The search's copy is read again now, off the sync's path, rather
        // than on the first search after it (a second or so for 30,000).
        let store = self.store.clone();
        tokio::spawn(async move {
            // A failure here is met again, and reported, by the next search.
            let _ = store.warm_directory().await;
        });
        stored
    }
}

async fn fetch_listing_pages(
    http: reqwest::Client,
    server_url: String,
    credential: String,
    mut since: i64,
    pages: tokio::sync::mpsc::Sender<Result<Option<ListingPage>, AppError>>,
) {
    loop {
        let page = fetch_listing_page(&http, &server_url, &credential, since).await;
        let more = matches!(&page, Ok(Some(p)) if p.more);
        if let Ok(Some(p)) = &page {
            since = p.through;
        }
        if pages.send(page).await.is_err() || !more {
            break;
        }
    }
}

async fn fetch_listing_page(
    http: &reqwest::Client,
    server_url: &str,
    credential: &str,
    since: i64,
) -> Result<Option<ListingPage>, AppError> {
    let request = DirectoryRequest {
        version: PROTOCOL_VERSION,
        since,
        limit: DIRECTORY_PAGE,
    };
    let response = http
        .post(format!("{server_url}/v1/directory"))
        .bearer_auth(credential)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(json(&request)?)
        .send()
        .await
        .map_err(unreachable)?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    let page: DirectoryResponse = read(response).await?;
    // A page moves forward only, and says more only when it brought some.
    if page.through < since
        || (page.more && page.listings.is_empty())
        || page
            .listings
            .iter()
            .any(|l| l.directory_version <= since || l.directory_version > page.through)
    {
        return Err(garbled());
    }
    Ok(Some(ListingPage {
        listings: page.listings.into_iter().filter_map(listing).collect(),
        through: page.through,
        more: page.more,
    }))
}

/// A listing in the store's terms. One of a kind this build does not know
/// is left out; offers, parts and ward types it does not know are dropped
/// (a newer server may list more than this build can show).
fn listing(w: WireListing) -> Option<ListingRecord> {
    let kind = OrganisationKind::from_code(&w.kind).filter(|k| *k != OrganisationKind::Desk)?;
    Some(ListingRecord {
        id: w.id,
        kind,
        offers: w
            .offers
            .iter()
            .filter_map(|c| Offer::from_code(c))
            .collect(),
        accepting: w.accepting.as_deref().and_then(Accepting::from_code),
        confirmed: w
            .confirmed
            .iter()
            .filter_map(|c| Some((ProfilePart::from_code(&c.part)?, c.at)))
            .collect(),
        beds: w
            .beds
            .iter()
            .filter_map(|b| {
                Some(ListingBeds {
                    ward_type: WardType::from_code(&b.ward_type)?,
                    capacity: b.capacity,
                    available: b.available.min(b.capacity),
                    updated_at: b.updated_at,
                })
            })
            .collect(),
        name: w.name,
        name_kana: w.name_kana,
        phone: w.phone,
        fax: w.fax,
        address: w.address,
        hours: w.hours,
        municipalities: w.municipalities,
        area_detail: w.area_detail,
        radius_km: w.radius_km,
        care_managers: w.care_managers,
        stopped: w.stopped,
        directory_version: w.directory_version,
    })
}
