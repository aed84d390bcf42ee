//! When a referral needs attention and what may be recorded next, as the
//! portal asks it: the rules are the domain's (`tsunagu_domain::attention`
//! and the status machine); this module reads them for the portal.

use tsunagu_domain::ReferralStatus;

/// Still with a hospital: the portal's lists of open referrals (the
/// domain's rule, read from a stored status code).
pub fn in_hospital_care(status_code: &str) -> bool {
    ReferralStatus::from_code(status_code).is_some_and(tsunagu_domain::attention::in_hospital_care)
}

/// Why an open referral needs an update from the hospital: the region's
/// rule, which lives in the domain beside the clinic's.
pub use tsunagu_domain::region_attention as attention;

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
