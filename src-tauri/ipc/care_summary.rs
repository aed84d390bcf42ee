//! 医療・介護連携サマリー: the form as typed (lists one item a line) and the
//! summary as the patient page shows it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The summary form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CareSummaryInput {
    /// 主な病名, one a line, most important first.
    pub problems: String,
    /// 服用中の薬, one a line, most important first.
    pub medications: String,
    pub allergies: String,
    /// 医療機器・処置, one a line.
    pub devices: String,
    /// 次回の訪問・受診予定日 (YYYY-MM-DD or 和暦), or empty.
    pub next_visit: String,
    pub cautions: String,
    /// 夜間・休日の連絡先.
    pub after_hours_phone: String,
}

impl From<CareSummaryInput> for app::CareSummaryDraft {
    fn from(i: CareSummaryInput) -> Self {
        app::CareSummaryDraft {
            problems: i.problems,
            medications: i.medications,
            allergies: i.allergies,
            devices: i.devices,
            next_visit: i.next_visit,
            cautions: i.cautions,
            after_hours_phone: i.after_hours_phone,
        }
    }
}

/// The summary, signed by who last changed it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CareSummary {
    pub problems: Vec<String>,
    pub medications: Vec<String>,
    pub allergies: String,
    pub devices: Vec<String>,
    /// 和暦
    pub next_visit_label: Option<String>,
    pub cautions: String,
    pub after_hours_phone: String,
    /// The form as it opens to change the summary.
    pub input: CareSummaryInput,
    /// 「看護師 佐藤 花子」
    pub recorded_by: String,
    /// RFC 3339
    pub recorded_at: String,
}

impl From<app::CareSummaryView> for CareSummary {
    fn from(v: app::CareSummaryView) -> Self {
        let d = v.draft;
        CareSummary {
            problems: v.problems,
            medications: v.medications,
            allergies: v.allergies,
            devices: v.devices,
            next_visit_label: v.next_visit_label,
            cautions: v.cautions,
            after_hours_phone: v.after_hours_phone,
            input: CareSummaryInput {
                problems: d.problems,
                medications: d.medications,
                allergies: d.allergies,
                devices: d.devices,
                next_visit: d.next_visit,
                cautions: d.cautions,
                after_hours_phone: d.after_hours_phone,
            },
            recorded_by: v.recorded_by,
            recorded_at: v.recorded_at.to_rfc3339(),
        }
    }
}

/// A summary just saved, and whether the team was told.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedCareSummary {
    pub summary: CareSummary,
    /// Its pinned copy goes to the team (a team whose consent stands).
    pub shared_with_team: bool,
}

impl From<app::SavedCareSummary> for SavedCareSummary {
    fn from(s: app::SavedCareSummary) -> Self {
        SavedCareSummary {
            summary: s.summary.into(),
            shared_with_team: s.shared_with_team,
        }
    }
}
