//! The next order from the last one: the same instructions, typed again by
//! no one, for the period that follows.

use super::{DiagnosisDraft, NursingOrder, NursingOrderDraft, renewal_period};
use crate::field_rules::{Checked, Lines, TextRule, check_text};

/// The longest reason not to renew, in characters.
pub const ENDING_REASON_MAX_CHARS: usize = 200;

/// Why a regular order is not to be renewed (入院, 転医, 死亡, 訪問看護の
/// 終了…): required, one line, short. The decision stops the renewal
/// reminder, so it is never made without a word of why.
pub fn check_ending_reason(raw: &str) -> Checked<String> {
    check_text(
        raw,
        TextRule {
            label: "更新しない理由",
            required: true,
            max_chars: ENDING_REASON_MAX_CHARS,
            lines: Lines::Single,
        },
    )
}

/// The order back in the form's shape (dates as 2026-12-24), for editing.
pub fn to_draft(order: &NursingOrder) -> NursingOrderDraft {
    let period = order.term.period();
    let infusion = order.term.infusion();
    let iso = |date: chrono::NaiveDate| date.format("%Y-%m-%d").to_string();
    NursingOrderDraft {
        kind: order.kind().code().to_string(),
        patient_id: order.patient_id.clone(),
        station: order.station.clone(),
        issued_on: iso(order.issued_on),
        starts_on: iso(period.start),
        ends_on: iso(period.end),
        infusion_starts_on: infusion.map(|r| iso(r.start)).unwrap_or_default(),
        infusion_ends_on: infusion.map(|r| iso(r.end)).unwrap_or_default(),
        diagnoses: order
            .diagnoses
            .iter()
            .map(|d| DiagnosisDraft {
                name: d.name.clone(),
                code: d.code.clone().unwrap_or_default(),
            })
            .collect(),
        condition: order.condition.clone(),
        medication: order.medication.clone(),
        bedridden_level: code_of(order.bedridden_level.map(|l| l.code())),
        dementia_level: code_of(order.dementia_level.map(|l| l.code())),
        care_level: code_of(order.care_level.map(|l| l.code())),
        ulcer_depth: code_of(order.ulcer_depth.map(|d| d.code())),
        devices: order.devices.iter().map(|d| d.code().to_string()).collect(),
        device_other: order.device_other.clone(),
        device_details: order.device_details.clone(),
        care_notes: order.care_notes.clone(),
        rehab_minutes_per_day: order
            .rehabilitation
            .map(|r| r.minutes_per_day.to_string())
            .unwrap_or_default(),
        rehab_times_per_week: order
            .rehabilitation
            .map(|r| r.times_per_week.to_string())
            .unwrap_or_default(),
        wound_care: order.wound_care.clone(),
        device_care: order.device_care.clone(),
        other_instructions: order.other_instructions.clone(),
        infusion_instructions: order.infusion_instructions.clone(),
        emergency_contact: order.emergency_contact.clone(),
        when_absent: order.when_absent.clone(),
        special_notes: order.special_notes.clone(),
        other_station: order.other_station.clone(),
        suction_provider: order.suction_provider.clone(),
        frequent_visit_reason: order.frequent_visit_reason.clone(),
    }
}

fn code_of(code: Option<&'static str>) -> String {
    code.unwrap_or_default().to_string()
}

/// The draft of the order that follows `order`: every field as it was, the
/// period from the day after its end for as long ([`renewal_period`]), and
/// the 指示日 left for the doctor to date when signing. The 点滴注射 period
/// (a week's order) is not carried on; its instructions are, so the check
/// asks for a new week or for the instructions to go — nothing typed is
/// dropped unseen. `None` only past chrono's calendar.
pub fn renewal_draft(order: &NursingOrder) -> Option<NursingOrderDraft> {
    let next = renewal_period(order.kind(), order.term.period())?;
    let iso = |date: chrono::NaiveDate| date.format("%Y-%m-%d").to_string();
    Some(NursingOrderDraft {
        issued_on: String::new(),
        starts_on: iso(next.start),
        ends_on: iso(next.end),
        infusion_starts_on: String::new(),
        infusion_ends_on: String::new(),
        ..to_draft(order)
    })
}

#[cfg(test)]
mod ending_tests {
    use super::*;

    #[test]
    fn a_reason_not_to_renew_is_required_one_line_and_short() {
        assert_eq!(check_ending_reason("  入院のため ").unwrap(), "入院のため");
        assert!(check_ending_reason("  ").is_err());
        assert!(check_ending_reason("入院\nのため").is_err());
        assert!(check_ending_reason(&"あ".repeat(ENDING_REASON_MAX_CHARS + 1)).is_err());
    }
}
