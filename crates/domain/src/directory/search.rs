//! Searching the directory (issue 18): what a search asks, what a listing
//! must be to match it, the order results come in and how fresh each
//! result says it is. The desktop and the portal both search their copy
//! of the listings with `matches` (ADR 0032, 0033).

use chrono::{DateTime, Utc};

use super::beds::WardType;
use super::{Accepting, Offer, ProfilePart, STALE_AFTER_DAYS, is_stale};
use crate::kana::search_key;
use crate::normalize::nfkc;
use crate::team::OrganisationKind;

/// The longest name a search takes (after folding).
pub const MAX_NAME_CHARS: usize = 50;

/// The search form as typed; empty parts ask nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDraft {
    /// Kanji or kana, any width.
    pub name: String,
    /// An `OrganisationKind` code.
    pub kind: String,
    /// `Offer` codes: a listing must offer every one.
    pub offers: Vec<String>,
    /// A 市区町村 the listing must serve.
    pub municipality: String,
    /// Only those taking new patients now (受入可).
    pub accepting_only: bool,
    /// A `WardType` code: only hospitals with free beds of it.
    pub open_beds: String,
}

/// A checked search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    /// The domain's `search_key` of the name typed.
    pub name_key: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub offers: Vec<Offer>,
    pub municipality: Option<String>,
    pub accepting_only: bool,
    pub open_beds: Option<WardType>,
}

/// What a listing is, for matching and ordering.
#[derive(Debug, Clone, Copy)]
pub struct ListingFacts<'a> {
    pub kind: OrganisationKind,
    /// `listing_name_key` of the name and the reading.
    pub name_key: &'a str,
    pub offers: &'a [Offer],
    pub municipalities: &'a [String],
    pub accepting: Option<Accepting>,
    /// Free beds per ward type (types the hospital has none of: absent).
    pub free_beds: &'a [(WardType, u16)],
    pub stopped: bool,
}

/// A listing's name key: the `search_key` of its name and its reading, so
/// a search by either (in any width, 旧字体 or 新字体) finds it.
pub fn listing_name_key(name: &str, kana: &str) -> String {
    format!("{} {}", search_key(name), search_key(kana))
}

/// Why a search form was refused: a code for the program and the
/// Japanese message shown above the results.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("名称は{MAX_NAME_CHARS}文字までで検索してください")]
    NameTooLong,
    #[error("種別の値が正しくありません")]
    UnknownKind,
    #[error("対応できることの値が正しくありません")]
    UnknownOffer,
    #[error("市区町村は{MAX_MUNICIPALITY_CHARS}文字までで入力してください")]
    MunicipalityTooLong,
    #[error("病床種別の値が正しくありません")]
    UnknownWardType,
}

impl SearchError {
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::NameTooLong => "name_too_long",
            SearchError::UnknownKind => "unknown_kind",
            SearchError::UnknownOffer => "unknown_offer",
            SearchError::MunicipalityTooLong => "municipality_too_long",
            SearchError::UnknownWardType => "unknown_ward_type",
        }
    }
}

const MAX_MUNICIPALITY_CHARS: usize = 20;

/// Checks the form; the first problem.
pub fn check_search(draft: &SearchDraft) -> Result<DirectoryQuery, SearchError> {
    let name_key = search_key(draft.name.trim());
    if name_key.chars().count() > MAX_NAME_CHARS {
        return Err(SearchError::NameTooLong);
    }
    let kind = match draft.kind.trim() {
        "" => None,
        code => Some(
            OrganisationKind::from_code(code)
                .filter(|k| *k != OrganisationKind::Desk)
                .ok_or(SearchError::UnknownKind)?,
        ),
    };
    let mut offers = Vec::new();
    for code in &draft.offers {
        let offer = Offer::from_code(code).ok_or(SearchError::UnknownOffer)?;
        if !offers.contains(&offer) {
            offers.push(offer);
        }
    }
    let municipality = nfkc(draft.municipality.trim());
    if municipality.chars().count() > MAX_MUNICIPALITY_CHARS {
        return Err(SearchError::MunicipalityTooLong);
    }
    let open_beds = match draft.open_beds.trim() {
        "" => None,
        code => Some(WardType::from_code(code).ok_or(SearchError::UnknownWardType)?),
    };
    Ok(DirectoryQuery {
        name_key: (!name_key.is_empty()).then_some(name_key),
        kind,
        offers,
        municipality: (!municipality.is_empty()).then_some(municipality),
        accepting_only: draft.accepting_only,
        open_beds,
    })
}

impl DirectoryQuery {
    /// Whether `listing` answers this search. A stopped organisation
    /// answers none.
    pub fn matches(&self, listing: &ListingFacts<'_>) -> bool {
        !listing.stopped
            && self.kind.is_none_or(|k| k == listing.kind)
            && self
                .name_key
                .as_deref()
                .is_none_or(|key| listing.name_key.contains(key))
            && self.offers.iter().all(|o| listing.offers.contains(o))
            && self
                .municipality
                .as_deref()
                .is_none_or(|m| listing.municipalities.iter().any(|l| l == m))
            && (!self.accepting_only || listing.accepting == Some(Accepting::Yes))
            && self.open_beds.is_none_or(|ward| {
                listing
                    .free_beds
                    .iter()
                    .any(|(w, free)| *w == ward && *free > 0)
            })
    }

    /// Whether nothing is asked (the whole directory, in order).
    pub fn is_empty(&self) -> bool {
        *self == DirectoryQuery::default()
    }
}

/// Results come those taking patients first (受入可, 要相談, unsaid,
/// 受入不可), then by reading.
pub fn accepting_rank(accepting: Option<Accepting>) -> u8 {
    match accepting {
        Some(Accepting::Yes) => 0,
        Some(Accepting::Ask) => 1,
        None => 2,
        Some(Accepting::No) => 3,
    }
}

/// How fresh a listing's information is: its least recently confirmed
/// part that its kind keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// `None`: some part was never confirmed.
    pub oldest: Option<DateTime<Utc>>,
    pub stale: bool,
}

/// `confirmed`: when each part was last confirmed, as stored.
pub fn freshness(
    kind: OrganisationKind,
    confirmed: &[(ProfilePart, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Freshness {
    let mut oldest = Some(DateTime::<Utc>::MAX_UTC);
    for part in ProfilePart::ALL.into_iter().filter(|p| p.applies_to(kind)) {
        let at = confirmed
            .iter()
            .find(|(p, _)| *p == part)
            .map(|(_, at)| *at);
        oldest = match (oldest, at) {
            (Some(o), Some(at)) => Some(o.min(at)),
            _ => None,
        };
    }
    Freshness {
        oldest,
        stale: is_stale(oldest, now),
    }
}

impl Freshness {
    /// What a result says of itself, e.g. 「2026年11月2日に確認」 or
    /// 「90日以上確認されていません（2026年8月1日）」.
    pub fn label_ja(&self) -> String {
        let day = |at: DateTime<Utc>| {
            at.with_timezone(&crate::backup::japan())
                .format("%Y年%-m月%-d日")
                .to_string()
        };
        match (self.oldest, self.stale) {
            (None, _) => "情報がまだ確認されていません".into(),
            (Some(at), false) => format!("{}に確認", day(at)),
            (Some(at), true) => {
                format!("{STALE_AFTER_DAYS}日以上確認されていません（{}）", day(at))
            }
        }
    }
}

/// The 市区町村 of `address` among `known` (the longest that appears, so
/// 府中市 is not taken for 中市): the area a patient's address suggests.
pub fn municipality_in_address<'a>(address: &str, known: &'a [String]) -> Option<&'a str> {
    let address = nfkc(address);
    known
        .iter()
        .filter(|m| !m.is_empty() && address.contains(m.as_str()))
        .max_by_key(|m| m.chars().count())
        .map(String::as_str)
}

#[cfg(test)]
mod tests;
