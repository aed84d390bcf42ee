//! Referrals: the patient's referrals with their history of events.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

use super::Reply;

pub use app::EventInput;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferralEvent {
    pub id: String,
    /// e.g. 入院中, or 記録の取り消し
    pub title: String,
    /// The status code, absent for a voiding entry.
    pub status: Option<String>,
    /// 和暦, the day it happened.
    pub date: Option<String>,
    pub summary: String,
    pub note: String,
    /// Who recorded it: この医院 / 地域連携窓口 / 病院 地域連携室 / 在宅チーム
    pub source: String,
    pub actor: String,
    /// RFC 3339.
    pub recorded_at: String,
    /// Marked as entered in error by a later entry.
    pub voided: bool,
    /// This clinic's entry that no longer fits the hospital's or desk's
    /// record: it does not count (a conflict, shown as such).
    pub set_aside: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Referral {
    pub id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: String,
    pub status_label: String,
    pub hospital: String,
    pub where_now: String,
    /// 和暦
    pub sent_on: String,
    /// 和暦
    pub last_news: String,
    pub days_since_news: i32,
    pub open: bool,
    /// Oldest first.
    pub events: Vec<ReferralEvent>,
    /// Reply letters (返書), oldest first.
    pub replies: Vec<Reply>,
    /// The registered hospital the region routed it to, when not `hospital`.
    pub routed_to: Option<String>,
}

impl From<app::ReferralView> for Referral {
    fn from(r: app::ReferralView) -> Self {
        Referral {
            id: r.id.to_string(),
            patient_id: r.patient_id.to_string(),
            patient_name: r.patient_name,
            tracking_code: r.tracking_code,
            status: r.status.code().to_string(),
            status_label: r.status.label_ja().to_string(),
            hospital: r.hospital,
            where_now: r.where_now.label_ja(),
            sent_on: app::format_wareki(r.sent_on),
            last_news: app::format_wareki(r.last_news),
            days_since_news: i32::try_from(r.days_since_news).unwrap_or(i32::MAX),
            open: r.open,
            events: r
                .events
                .into_iter()
                .map(|e| ReferralEvent {
                    id: e.id.to_string(),
                    title: e.title,
                    status: e.status.map(|s| s.code().to_string()),
                    date: e.date,
                    summary: e.summary,
                    note: e.note,
                    source: e.source,
                    actor: e.actor,
                    recorded_at: e.recorded_at.to_rfc3339(),
                    voided: e.voided,
                    set_aside: e.set_aside,
                })
                .collect(),
            replies: r.replies.into_iter().map(Into::into).collect(),
            routed_to: r.routed_to,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientReferrals {
    /// e.g. 豊島中央病院 入院中（5階東病棟）, 自院通院中
    pub where_now: String,
    /// Newest first.
    pub referrals: Vec<Referral>,
}
