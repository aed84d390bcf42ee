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
        }
    }
}
