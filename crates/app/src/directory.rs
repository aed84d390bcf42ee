//! 地域の機関をさがす (issue 18): the directory's search on the clinic's
//! copy (pulled in `exchange/directory.rs`), each result with how fresh
//! its information is; the 市区町村 the copy knows, and the one a
//! patient's address suggests. The rules are the domain's
//! (`directory::search`); the directory is no patient data.

use std::sync::Arc;

use tsunagu_domain::directory::search::{
    SearchDraft, check_search, freshness, municipality_in_address,
};
use tsunagu_store::ListingRecord;

use crate::App;
use crate::error::{AppError, ErrorCode};

/// Results shown at most; the count says how many answer in all.
pub const DIRECTORY_RESULTS: usize = 100;

/// One result, with what the screen says of its freshness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryHit {
    pub listing: Arc<ListingRecord>,
    /// e.g. 「2026年11月2日に確認」.
    pub freshness_label: String,
    /// Some part not confirmed for 90 days (or never).
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryResults {
    pub hits: Vec<DirectoryHit>,
    pub total: usize,
}

impl App {
    /// The first results answering the form, those taking new patients
    /// first; a bad form is refused with the domain's message.
    pub async fn search_directory(
        &self,
        draft: &SearchDraft,
    ) -> Result<DirectoryResults, AppError> {
        let query =
            check_search(draft).map_err(|e| AppError::new(ErrorCode::Validation, e.to_string()))?;
        let page = self
            .store
            .search_directory(&query, DIRECTORY_RESULTS)
            .await?;
        let now = self.clock.now();
        Ok(DirectoryResults {
            hits: page
                .listings
                .into_iter()
                .map(|listing| {
                    let fresh = freshness(listing.kind, &listing.confirmed, now);
                    DirectoryHit {
                        freshness_label: fresh.label_ja(),
                        stale: fresh.stale,
                        listing,
                    }
                })
                .collect(),
            total: page.total,
        })
    }

    /// Every 市区町村 the directory's organisations serve, for the form's
    /// suggestions.
    pub async fn directory_municipalities(&self) -> Result<Vec<String>, AppError> {
        Ok(self.store.directory_municipalities().await?)
    }

    /// The 市区町村 of `address` (a patient's, as the screen shows it) that
    /// the directory knows, if any.
    pub async fn directory_area_of(&self, address: &str) -> Result<Option<String>, AppError> {
        let known = self.store.directory_municipalities().await?;
        Ok(municipality_in_address(address, &known).map(str::to_string))
    }
}
