//! 医療・介護連携サマリー: what every member of the team must know of the
//! patient without digging through posts — the problems, the medicines,
//! the allergies, the devices, the next visit, the points to watch — and
//! the 24-hour contact. Kept as versions (who changed it and when is part
//! of the record); the latest is the summary. The emergency sheet prints
//! it with the current 人生会議 wishes.
//!
//! Lists are typed one item a line, as clinics keep them; empty lines are
//! dropped.

use chrono::NaiveDate;

use crate::field_rules::{Checked, Collector, Lines, TextRule, check_phone, check_text};
use crate::parse_date;

/// The form as typed: lists one item a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CareSummaryDraft {
    pub problems: String,
    pub medications: String,
    pub allergies: String,
    pub devices: String,
    /// 次回訪問（受診）予定日, or empty.
    pub next_visit: String,
    pub cautions: String,
    /// 夜間・休日の連絡先 for this patient (the doctor on call, the station).
    pub after_hours_phone: String,
}

/// A checked summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CareSummary {
    /// 主な病名, most important first.
    pub problems: Vec<String>,
    /// 服用中の薬, one a line, most important first.
    pub medications: Vec<String>,
    /// As recorded; empty means not recorded (never 「なし」 by default).
    pub allergies: String,
    pub devices: Vec<String>,
    pub next_visit: Option<NaiveDate>,
    pub cautions: String,
    pub after_hours_phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareSummaryField {
    Problems,
    Medications,
    Allergies,
    Devices,
    NextVisit,
    Cautions,
    AfterHoursPhone,
}

impl CareSummaryField {
    pub fn key(self) -> &'static str {
        match self {
            CareSummaryField::Problems => "problems",
            CareSummaryField::Medications => "medications",
            CareSummaryField::Allergies => "allergies",
            CareSummaryField::Devices => "devices",
            CareSummaryField::NextVisit => "nextVisit",
            CareSummaryField::Cautions => "cautions",
            CareSummaryField::AfterHoursPhone => "afterHoursPhone",
        }
    }
}

/// At most this many items in a list: a longer one is a paste gone wrong.
pub const MAX_ITEMS: usize = 40;
/// An item is one line of a list.
pub const ITEM_MAX_CHARS: usize = 100;
const TEXT_MAX_CHARS: usize = 1000;

/// Checks the form; every problem at once, by field. Nothing is required:
/// a summary is filled in as the team learns, and what is empty prints as
/// 「（記録なし）」.
pub fn check_care_summary(
    draft: &CareSummaryDraft,
) -> Result<CareSummary, Vec<(CareSummaryField, String)>> {
    let mut errors = Collector::default();
    let problems = errors.take(
        CareSummaryField::Problems,
        list(&draft.problems, "主な病名"),
    );
    let medications = errors.take(
        CareSummaryField::Medications,
        list(&draft.medications, "服用中の薬"),
    );
    let allergies = errors.take(
        CareSummaryField::Allergies,
        text(&draft.allergies, "アレルギー"),
    );
    let devices = errors.take(
        CareSummaryField::Devices,
        list(&draft.devices, "医療機器・処置"),
    );
    let next_visit = errors.take(CareSummaryField::NextVisit, next_visit(&draft.next_visit));
    let cautions = errors.take(
        CareSummaryField::Cautions,
        text(&draft.cautions, "注意すること"),
    );
    let after_hours_phone = errors.take(
        CareSummaryField::AfterHoursPhone,
        check_phone(&draft.after_hours_phone, "夜間・休日の連絡先", false),
    );
    let errors = errors.into_vec();
    match (
        problems,
        medications,
        allergies,
        devices,
        next_visit,
        cautions,
        after_hours_phone,
    ) {
        (
            Some(problems),
            Some(medications),
            Some(allergies),
            Some(devices),
            Some(next_visit),
            Some(cautions),
            Some(after_hours_phone),
        ) if errors.is_empty() => Ok(CareSummary {
            problems,
            medications,
            allergies,
            devices,
            next_visit,
            cautions,
            after_hours_phone,
        }),
        _ => Err(errors),
    }
}

fn list(raw: &str, label: &'static str) -> Checked<Vec<String>> {
    let items: Vec<&str> = raw
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .filter(|l| !l.is_empty())
        .collect();
    if items.len() > MAX_ITEMS {
        return Err(format!("{label}は{MAX_ITEMS}行までです（現在{}行）", items.len()).into());
    }
    items
        .into_iter()
        .map(|item| {
            check_text(
                item,
                TextRule {
                    label,
                    required: false,
                    max_chars: ITEM_MAX_CHARS,
                    lines: Lines::Single,
                },
            )
            .map_err(|e| format!("{}（1行ごと）", e.0).into())
        })
        .collect()
}

fn text(raw: &str, label: &'static str) -> Checked<String> {
    check_text(
        raw,
        TextRule {
            label,
            required: false,
            max_chars: TEXT_MAX_CHARS,
            lines: Lines::Multi,
        },
    )
}

fn next_visit(raw: &str) -> Checked<Option<NaiveDate>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(parse_date(raw)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CareSummaryDraft {
        CareSummaryDraft {
            problems: "慢性心不全\n\n  2型糖尿病  \n".into(),
            medications: "アピキサバン錠2.5mg 1日2回\nフロセミド錠20mg 朝".into(),
            allergies: "ペニシリン系（発疹）".into(),
            devices: "在宅酸素 1L/分".into(),
            next_visit: "R8.12.14".into(),
            cautions: "体重が2日で2kg増えたら連絡".into(),
            after_hours_phone: "０９０ー１２３４ー５６７８".into(),
        }
    }

    #[test]
    fn lists_are_one_item_a_line_without_blank_lines() {
        let summary = check_care_summary(&draft()).unwrap();
        assert_eq!(summary.problems, ["慢性心不全", "2型糖尿病"]);
        assert_eq!(summary.medications.len(), 2);
        assert_eq!(summary.next_visit, NaiveDate::from_ymd_opt(2026, 12, 14));
        assert_eq!(summary.after_hours_phone, "090-1234-5678");
    }

    #[test]
    fn an_empty_form_is_an_empty_summary() {
        let summary = check_care_summary(&CareSummaryDraft::default()).unwrap();
        assert_eq!(summary, CareSummary::default());
    }

    #[test]
    fn bad_input_is_refused_by_field() {
        let bad = CareSummaryDraft {
            problems: "x\n".repeat(MAX_ITEMS + 1),
            medications: "あ".repeat(ITEM_MAX_CHARS + 1),
            next_visit: "2026-02-30".into(),
            after_hours_phone: "でんわ".into(),
            ..draft()
        };
        let fields: Vec<&str> = check_care_summary(&bad)
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f.key())
            .collect();
        assert_eq!(
            fields,
            ["problems", "medications", "nextVisit", "afterHoursPhone"]
        );
    }
}
