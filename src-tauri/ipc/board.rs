//! The referral board: a filtered, ordered page of referrals.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

pub use app::BoardFilter;

/// One row of the referral board.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoardRow {
    pub referral_id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: String,
    pub status_label: String,
    pub referred_to: String,
    pub hospital: String,
    pub where_now: String,
    /// 和暦
    pub sent_on: String,
    /// 和暦
    pub last_news: String,
    pub days_since_news: i32,
    pub open: bool,
    /// Why it is overdue (受付の連絡なし, 退院予定日超過, 返書未着), if it is.
    pub overdue: Option<String>,
    pub replied: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub rows: Vec<BoardRow>,
    pub total: i32,
    pub page: i32,
    pub page_size: i32,
    pub hospitals: Vec<String>,
}

impl From<app::Board> for Board {
    fn from(b: app::Board) -> Self {
        Board {
            rows: b
                .rows
                .into_iter()
                .map(|r| BoardRow {
                    referral_id: r.referral_id.to_string(),
                    patient_id: r.patient_id.to_string(),
                    patient_name: r.patient_name,
                    tracking_code: r.tracking_code,
                    status: r.status.code().to_string(),
                    status_label: r.status.label_ja().to_string(),
                    referred_to: r.referred_to,
                    hospital: r.hospital,
                    where_now: r.where_now,
                    sent_on: app::format_wareki(r.sent_on),
                    last_news: app::format_wareki(r.last_news),
                    days_since_news: i32::try_from(r.days_since_news).unwrap_or(i32::MAX),
                    open: r.open,
                    overdue: r.overdue,
                    replied: r.replied,
                })
                .collect(),
            total: i32::try_from(b.total).unwrap_or(i32::MAX),
            page: i32::try_from(b.page).unwrap_or(i32::MAX),
            page_size: i32::try_from(b.page_size).unwrap_or(i32::MAX),
            hospitals: b.hospitals,
        }
    }
}
