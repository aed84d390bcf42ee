//! The morning worklist (要確認) and its thresholds.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

pub use app::WorklistSettings;

/// One item of the morning worklist (要確認).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorklistItem {
    /// What the item is about; pass it back to dismiss it.
    pub key: String,
    pub referral_id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub hospital: String,
    pub title: String,
    pub detail: String,
    /// 和暦
    pub since: String,
    /// Shows 確認済みにする (a 相談 leaves the list when answered or closed).
    pub dismissible: bool,
}

impl From<app::WorklistItem> for WorklistItem {
    fn from(i: app::WorklistItem) -> Self {
        WorklistItem {
            key: i.key,
            referral_id: i.referral_id.to_string(),
            patient_id: i.patient_id.to_string(),
            patient_name: i.patient_name,
            hospital: i.hospital,
            title: i.title,
            detail: i.detail,
            since: app::format_wareki(i.since),
            dismissible: i.dismissible,
        }
    }
}

/// The newest worklist items (at most `WORKLIST_SHOWN`) and how many there
/// are in all.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Worklist {
    /// Newest first.
    pub items: Vec<WorklistItem>,
    pub total: u32,
}

impl From<app::WorklistPage> for Worklist {
    fn from(p: app::WorklistPage) -> Self {
        Worklist {
            items: p.items.into_iter().map(Into::into).collect(),
            total: u32::try_from(p.total).unwrap_or(u32::MAX),
        }
    }
}
