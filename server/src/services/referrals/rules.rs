//! When a referral needs attention and what may be recorded next, as the
//! portal decides it. Kept as plain functions so that they can move into
//! the domain crate unchanged.

use chrono::NaiveDate;
use tsunagu_domain::{ReferralState, ReferralStatus};

/// Days without news before an open referral needs an update.
pub const QUIET_DAYS_BEFORE_ACK: i64 = 7;
pub const QUIET_DAYS_IN_CARE: i64 = 14;

/// Still with a hospital: the portal's lists of open referrals.
pub fn in_hospital_care(status_code: &str) -> bool {
    matches!(
        status_code,
        "sent" | "received" | "visited" | "admitted" | "discharge_planned" | "transferred"
    )
}

/// Why an open referral needs an update, if it does.
pub fn attention(state: &ReferralState, today: NaiveDate) -> Option<String> {
    use ReferralStatus as S;
    let quiet = (today - state.last_news).num_days();
    match state.status {
        S::Sent | S::Received if quiet >= QUIET_DAYS_BEFORE_ACK => {
            Some(format!("{quiet}日間、受診・入院の連絡がありません"))
        }
        S::DischargePlanned if state.expected_discharge.is_some_and(|d| d < today) => {
            Some("退院予定日を過ぎています".to_string())
        }
        S::Visited | S::Admitted | S::Transferred | S::DischargePlanned
            if quiet >= QUIET_DAYS_IN_CARE =>
        {
            Some(format!("{quiet}日間、経過の連絡がありません"))
        }
        _ => None,
    }
}

/// The statuses a portal user may record next, as (code, label).
pub fn next_statuses(status_code: &str) -> Vec<(&'static str, &'static str)> {
    let Some(current) = ReferralStatus::from_code(status_code) else {
        return Vec::new();
    };
    use ReferralStatus as S;
    [
        S::Received,
        S::Visited,
        S::Admitted,
        S::DischargePlanned,
        S::Transferred,
        S::Discharged,
        S::Deceased,
    ]
    .into_iter()
    .filter(|s| current.may_become(*s))
    .map(|s| (s.code(), s.label_ja()))
    .collect()
}
