//! 在宅医療情報連携加算: the month's record as typed and as the patient
//! page shows it, and the clinic's monthly report (ADR 0039).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The month's record as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct SharingFeeInput {
    /// `YYYY-MM`
    pub month: String,
    /// 次回の訪問診療の予定日 (YYYY-MM-DD or 和暦).
    pub next_visit: String,
    /// 治療方針の変更: null until answered.
    pub policy_changed: Option<bool>,
    pub change_summary: String,
    pub care_points: String,
}

impl From<SharingFeeInput> for app::SharingFeeDraft {
    fn from(i: SharingFeeInput) -> Self {
        app::SharingFeeDraft {
            month: i.month,
            next_visit: i.next_visit,
            policy_changed: i.policy_changed,
            change_summary: i.change_summary,
            care_points: i.care_points,
        }
    }
}

/// One version of a month's record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharingFeeRecord {
    pub id: String,
    /// `2026-12`
    pub month: String,
    /// 令和8年12月
    pub month_label: String,
    /// `YYYY-MM-DD`
    pub next_visit: String,
    /// 和暦
    pub next_visit_label: String,
    pub policy_changed: bool,
    pub change_summary: String,
    pub care_points: String,
    /// Posted on the team's timeline.
    pub shared: bool,
    /// The latest version of its month: the one that counts.
    pub counts: bool,
    /// 「医師 佐藤 花子」
    pub recorded_by: String,
    /// RFC 3339
    pub recorded_at: String,
}

impl From<app::SharingFeeRecordView> for SharingFeeRecord {
    fn from(v: app::SharingFeeRecordView) -> Self {
        SharingFeeRecord {
            id: v.id.to_string(),
            month: v.month,
            month_label: v.month_label,
            next_visit: v.next_visit.to_string(),
            next_visit_label: v.next_visit_label,
            policy_changed: v.policy_changed,
            change_summary: v.change_summary,
            care_points: v.care_points,
            shared: v.shared,
            counts: v.counts,
            recorded_by: v.recorded_by,
            recorded_at: v.recorded_at.to_rfc3339(),
        }
    }
}

/// One of the 加算's requirements for a patient's month.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharingFeeCheck {
    /// The domain's `SharingFeeRequirement` code.
    pub code: String,
    pub label: String,
    /// The report column's heading.
    pub short_label: String,
    pub met: bool,
}

/// A home-care patient's month in the report.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharingFeeReportRow {
    pub patient_id: String,
    pub patient_name: String,
    pub patient_kana: String,
    pub chart_number: Option<String>,
    pub record: Option<SharingFeeRecord>,
    pub others_posts: u32,
    pub others_read: u32,
    pub others_acknowledged: u32,
    /// Every requirement, in the rule's order.
    pub checks: Vec<SharingFeeCheck>,
    pub complete: bool,
}

/// The clinic's report for a month.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharingFeeReport {
    pub month: String,
    pub month_label: String,
    pub rows: Vec<SharingFeeReportRow>,
    pub complete: u32,
}

impl From<app::SharingFeeReportRow> for SharingFeeReportRow {
    fn from(r: app::SharingFeeReportRow) -> Self {
        let checks = app::SharingFeeRequirement::ALL
            .iter()
            .map(|req| SharingFeeCheck {
                code: req.code().to_string(),
                label: req.label_ja().to_string(),
                short_label: req.short_label_ja().to_string(),
                met: r.met.contains(req),
            })
            .collect();
        SharingFeeReportRow {
            patient_id: r.patient_id.to_string(),
            patient_name: r.patient_name,
            patient_kana: r.patient_kana,
            chart_number: r.chart_number,
            record: r.record.map(Into::into),
            others_posts: r.others_posts,
            others_read: r.others_read,
            others_acknowledged: r.others_acknowledged,
            checks,
            complete: r.complete,
        }
    }
}

impl From<app::SharingFeeReport> for SharingFeeReport {
    fn from(r: app::SharingFeeReport) -> Self {
        SharingFeeReport {
            month: r.month,
            month_label: r.month_label,
            complete: u32::try_from(r.complete).unwrap_or(u32::MAX),
            rows: r.rows.into_iter().map(Into::into).collect(),
        }
    }
}
