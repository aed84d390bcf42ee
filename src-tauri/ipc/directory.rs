//! 地域の機関をさがす (issue 18): the search form as typed, and each
//! result with its labels made here (codes are the domain's; the form's
//! choice lists are in vocabulary.ts).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The search form; empty parts ask nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectorySearchInput {
    /// Kanji or kana, any width; 旧字体 and 新字体 find each other.
    pub name: String,
    /// An organisation kind's code.
    pub kind: String,
    /// Offer codes: a result offers every one.
    pub offers: Vec<String>,
    /// A 市区町村 the result serves.
    pub municipality: String,
    /// Only those taking new patients (受入可).
    pub accepting_only: bool,
    /// A ward type's code: only hospitals with free beds of it.
    pub open_beds: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryResults {
    /// The first results, those taking new patients first, then by reading.
    pub listings: Vec<DirectoryListing>,
    /// How many answer in all.
    pub total: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryListing {
    pub id: String,
    pub name: String,
    pub name_kana: String,
    /// The organisation kind's code.
    pub kind: String,
    pub kind_label: String,
    pub phone: String,
    pub fax: String,
    pub address: String,
    pub hours: String,
    pub municipalities: Vec<String>,
    pub area_detail: String,
    pub radius_km: Option<u16>,
    pub offers: Vec<DirectoryOffer>,
    /// `yes`, `ask`, `no`, or null when not said.
    pub accepting: Option<String>,
    /// 受入可 / 要相談 / 受入不可.
    pub accepting_label: Option<String>,
    pub care_managers: Option<u16>,
    pub beds: Vec<DirectoryBeds>,
    /// 「2026年11月2日に確認」, or how long it has not been.
    pub freshness_label: String,
    /// Some part not confirmed for 90 days: shown in the warning colour.
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryOffer {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryBeds {
    pub ward_type: String,
    pub ward_label: String,
    pub capacity: u16,
    pub available: u16,
    /// RFC 3339: when the hospital said it.
    pub updated_at: String,
}

impl From<DirectorySearchInput> for app::DirectorySearchDraft {
    fn from(i: DirectorySearchInput) -> Self {
        app::DirectorySearchDraft {
            name: i.name,
            kind: i.kind,
            offers: i.offers,
            municipality: i.municipality,
            accepting_only: i.accepting_only,
            open_beds: i.open_beds,
        }
    }
}

impl From<app::DirectoryResults> for DirectoryResults {
    fn from(r: app::DirectoryResults) -> Self {
        DirectoryResults {
            listings: r.hits.into_iter().map(listing).collect(),
            total: u32::try_from(r.total).unwrap_or(u32::MAX),
        }
    }
}

fn listing(hit: app::DirectoryHit) -> DirectoryListing {
    let l = &*hit.listing;
    DirectoryListing {
        id: l.id.to_string(),
        name: l.name.clone(),
        name_kana: l.name_kana.clone(),
        kind: l.kind.code().to_string(),
        kind_label: l.kind.label_ja().to_string(),
        phone: l.phone.clone(),
        fax: l.fax.clone(),
        address: l.address.clone(),
        hours: l.hours.clone(),
        municipalities: l.municipalities.clone(),
        area_detail: l.area_detail.clone(),
        radius_km: l.radius_km,
        offers: l
            .offers
            .iter()
            .map(|o| DirectoryOffer {
                code: o.code().to_string(),
                label: o.label_ja().to_string(),
            })
            .collect(),
        accepting: l.accepting.map(|a| a.code().to_string()),
        accepting_label: l.accepting.map(|a| a.label_ja().to_string()),
        care_managers: l.care_managers,
        beds: l
            .beds
            .iter()
            .map(|b| DirectoryBeds {
                ward_type: b.ward_type.code().to_string(),
                ward_label: b.ward_type.label_ja().to_string(),
                capacity: b.capacity,
                available: b.available,
                updated_at: b.updated_at.to_rfc3339(),
            })
            .collect(),
        freshness_label: hit.freshness_label,
        stale: hit.stale,
    }
}
