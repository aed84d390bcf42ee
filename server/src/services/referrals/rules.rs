//! When a referral needs attention and what may be recorded next, as the
//! portal asks it: the rules are the domain's (`tsunagu_domain::attention`
//! and the status machine); this module reads them for the portal.

use tsunagu_domain::{ReferralStatus, may_follow};

/// Still with a hospital: the portal's lists of open referrals (the
/// domain's rule, read from a stored status code).
pub fn in_hospital_care(status_code: &str) -> bool {
    ReferralStatus::from_code(status_code).is_some_and(tsunagu_domain::attention::in_hospital_care)
}

/// Why an open referral needs an update from the hospital: the region's
/// rule, which lives in the domain beside the clinic's.
pub use tsunagu_domain::region_attention as attention;

/// The statuses a portal user may record next, as (code, label); 取消
/// only for an admission without a letter recorded in error.
pub fn next_statuses(status_code: &str, without_letter: bool) -> Vec<(&'static str, &'static str)> {
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
        S::Cancelled,
    ]
    .into_iter()
    // A referral is the clinic's to cancel; a hospital cancels only the
    // admission without a letter it recorded in error.
    .filter(|s| *s != S::Cancelled || without_letter)
    .filter(|s| may_follow(current, without_letter, *s))
    .map(|s| (s.code(), s.label_ja()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(status: &str, without_letter: bool) -> Vec<&'static str> {
        next_statuses(status, without_letter)
            .into_iter()
            .map(|(code, _)| code)
            .collect()
    }

    /// 取消 is offered for an admission without a letter while the
    /// patient is simply admitted, and never for a referred one.
    #[test]
    fn only_an_admission_without_a_letter_may_be_cancelled_in_the_portal() {
        assert!(codes("admitted", true).contains(&"cancelled"));
        assert!(!codes("admitted", false).contains(&"cancelled"));
        assert!(!codes("discharge_planned", true).contains(&"cancelled"));
        assert!(!codes("sent", false).contains(&"cancelled"));
    }
}
