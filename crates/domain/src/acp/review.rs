//! When the wishes should be talked over again: wishes change with the
//! illness, so a record grows stale with time, and a hospital stay is
//! the moment they most often change.

use chrono::{Months, NaiveDate};

use crate::attention::PatientLife;
use crate::format_wareki;

/// The default interval between conversations.
pub const REVIEW_INTERVAL_MONTHS: u32 = 6;

/// Why the current wishes should be reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewReason {
    /// The last conversation is [`REVIEW_INTERVAL_MONTHS`] old.
    Interval {
        held_on: NaiveDate,
        due_on: NaiveDate,
    },
    /// The patient was discharged after the last conversation.
    AfterDischarge { discharged_on: NaiveDate },
}

impl ReviewReason {
    pub fn code(self) -> &'static str {
        match self {
            ReviewReason::Interval { .. } => "interval",
            ReviewReason::AfterDischarge { .. } => "after_discharge",
        }
    }

    /// The worklist's line (no patient data: the row names the patient).
    pub fn label_ja(self) -> String {
        match self {
            ReviewReason::Interval { held_on, .. } => format!(
                "前回の人生会議（{}）から{REVIEW_INTERVAL_MONTHS}か月が過ぎました",
                format_wareki(held_on)
            ),
            ReviewReason::AfterDischarge { discharged_on } => format!(
                "{}に退院しました。人生会議の見直しをおすすめします",
                format_wareki(discharged_on)
            ),
        }
    }
}

/// Whether the wishes recorded at the conversation of `held_on` are due
/// for review `today`. A discharge after that conversation comes first:
/// it is the more pressing reason. A patient with no record yet has
/// nothing to review (the first conversation is the physician's call),
/// and one who has died none either (`PatientLife::care_goes_on`).
pub fn review_due(
    held_on: NaiveDate,
    last_discharge: Option<NaiveDate>,
    life: PatientLife,
    today: NaiveDate,
) -> Option<ReviewReason> {
    if !life.care_goes_on() {
        return None;
    }
    if let Some(discharged_on) = last_discharge.filter(|d| *d > held_on && *d <= today) {
        return Some(ReviewReason::AfterDischarge { discharged_on });
    }
    let due_on = held_on.checked_add_months(Months::new(REVIEW_INTERVAL_MONTHS))?;
    (today >= due_on).then_some(ReviewReason::Interval { held_on, due_on })
}
