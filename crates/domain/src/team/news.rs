//! News of where the patient is, from anyone on the team: which roles may
//! record which referral status. Conservative: a role reports what it
//! witnesses in its own work; everything else stays with the hospital (its
//! liaison's statuses, as the portal offers them) and the owning clinic.
//! The status machine (`ReferralStatus::may_become`), membership and
//! consent still apply on top.

use chrono::{DateTime, Utc};

use crate::referral::{DischargeDestination, EventDetails, ReferralStatus};

use super::{EntryKind, Profession, TeamError, TeamMember, TeamRole, check_may_post};

/// Whether `role` may record `status` at all (the choice list).
/// [`check_report`] is the gate: it also looks at what the event says.
///
/// - 主治医 (the owning clinic): everything, as in its own app.
/// - 病院: the liaison's statuses — received, visited, admitted, discharge
///   planning, transfer, discharge, death.
/// - 在宅医: an admission it sent the patient to, taking the patient over
///   on discharge, and a death at home it certified.
/// - 訪問看護: an admission (the nurse is often the one who calls the
///   ambulance) and a death at home.
/// - ケアマネジャー: an admission (it must pass the hospital the
///   入院時情報 anyway).
/// - Pharmacy, dental, rehabilitation, care and family: none; they post 緊急
///   or 連絡 and a member above records it.
pub fn may_report(role: TeamRole, status: ReferralStatus) -> bool {
    use ReferralStatus as S;
    use TeamRole::*;
    let allowed: &[ReferralStatus] = match role {
        PrimaryPhysician => &ReferralStatus::ALL,
        Hospital => &[
            S::Received,
            S::Visited,
            S::Admitted,
            S::DischargePlanned,
            S::Transferred,
            S::Discharged,
            S::Deceased,
        ],
        HomeCarePhysician => &[S::Admitted, S::Discharged, S::Deceased],
        VisitingNurse => &[S::Admitted, S::Deceased],
        CareManager => &[S::Admitted],
        Pharmacist | Dental | Rehabilitation | Care | FamilyContact => &[],
    };
    allowed.contains(&status)
}

/// Whether `role` may record the event `details`. A 在宅医 records a
/// discharge only as taking the patient over (destination: home under
/// another home-care doctor); where else the patient went is the
/// hospital's to say.
pub fn check_report(role: TeamRole, details: &EventDetails) -> Result<(), TeamError> {
    let status = details.status();
    if !may_report(role, status) {
        return Err(TeamError::MayNotReport { role, status });
    }
    if let EventDetails::Discharged { destination, .. } = details
        && role == TeamRole::HomeCarePhysician
        && !matches!(
            destination,
            DischargeDestination::OtherHomeCareDoctor { .. }
        )
    {
        return Err(TeamError::MayNotReport { role, status });
    }
    Ok(())
}

/// The gate for a member's report: reporting is sharing, so the member
/// must be one who may post now (active, under the patient's consent, not
/// 事務), and the role must be one that witnesses the event. `details` is
/// `None` for withdrawing the member's own report (who recorded it is
/// checked with the referral's history).
pub fn check_may_report(
    member: &TeamMember,
    profession: Profession,
    details: Option<&EventDetails>,
    team_consent: bool,
    now: DateTime<Utc>,
) -> Result<(), TeamError> {
    check_may_post(
        member,
        profession,
        EntryKind::Note,
        false,
        team_consent,
        now,
    )?;
    match details {
        Some(details) => check_report(member.role, details),
        None => Ok(()),
    }
}

/// What a member in `role` is offered to record on a referral that is
/// `current` now: what the role may report and the status machine lets
/// follow.
pub fn statuses_to_report(role: TeamRole, current: ReferralStatus) -> Vec<ReferralStatus> {
    ReferralStatus::ALL
        .into_iter()
        .filter(|s| may_report(role, *s) && current.may_become(*s))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use ReferralStatus as S;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
    }

    fn member(role: TeamRole, state: super::super::MemberState) -> TeamMember {
        TeamMember {
            id: "m".into(),
            role,
            state,
            expires_at: None,
            needs_approval: false,
            access_until: None,
            personal: false,
            first_contact_for: Vec::new(),
        }
    }

    #[test]
    fn a_report_needs_an_active_member_under_consent_who_may_post() {
        use super::super::MemberState as M;
        let now = d().and_hms_opt(10, 0, 0).unwrap().and_utc();
        let died = EventDetails::Deceased {
            date: d(),
            place: "自宅".into(),
        };
        let nurse = member(TeamRole::VisitingNurse, M::Active);
        let report = |m: &TeamMember, p, consent| check_may_report(m, p, Some(&died), consent, now);
        assert_eq!(report(&nurse, Profession::Nurse, true), Ok(()));
        assert_eq!(
            report(&nurse, Profession::Nurse, false),
            Err(TeamError::NoTeamConsent)
        );
        assert!(report(&nurse, Profession::Clerk, true).is_err());
        let left = member(TeamRole::VisitingNurse, M::Left);
        assert_eq!(
            report(&left, Profession::Nurse, true),
            Err(TeamError::LeftCannotPost)
        );
        let invited = member(TeamRole::VisitingNurse, M::Invited);
        assert!(report(&invited, Profession::Nurse, true).is_err());
        let pharmacy = member(TeamRole::Pharmacist, M::Active);
        assert!(matches!(
            report(&pharmacy, Profession::Pharmacist, true),
            Err(TeamError::MayNotReport { .. })
        ));
        // Withdrawing one's own report needs only the right to post.
        assert_eq!(
            check_may_report(&pharmacy, Profession::Pharmacist, None, true, now),
            Ok(())
        );
    }

    #[test]
    fn the_offer_follows_the_role_and_the_status_machine() {
        assert_eq!(
            statuses_to_report(TeamRole::VisitingNurse, S::Received),
            vec![S::Admitted, S::Deceased]
        );
        // Dead is final: nothing more to offer anyone.
        assert!(statuses_to_report(TeamRole::VisitingNurse, S::Deceased).is_empty());
        assert!(statuses_to_report(TeamRole::Pharmacist, S::Admitted).is_empty());
        assert_eq!(
            statuses_to_report(TeamRole::HomeCarePhysician, S::DischargePlanned),
            vec![S::Discharged, S::Deceased]
        );
    }

    #[test]
    fn nurses_report_an_admission_or_a_death_at_home_and_nothing_else() {
        assert!(may_report(TeamRole::VisitingNurse, S::Deceased));
        assert!(may_report(TeamRole::VisitingNurse, S::Admitted));
        for status in [
            S::Sent,
            S::Received,
            S::Visited,
            S::DischargePlanned,
            S::Discharged,
            S::Returned,
            S::Closed,
            S::Cancelled,
        ] {
            assert!(!may_report(TeamRole::VisitingNurse, status), "{status:?}");
        }
    }

    #[test]
    fn only_the_owner_sends_closes_or_cancels() {
        for status in [S::Sent, S::Returned, S::Closed, S::Cancelled] {
            let who: Vec<TeamRole> = TeamRole::ALL
                .into_iter()
                .filter(|r| may_report(*r, status))
                .collect();
            assert_eq!(who, vec![TeamRole::PrimaryPhysician], "{status:?}");
        }
    }

    #[test]
    fn the_family_and_the_pharmacy_report_nothing() {
        for status in ReferralStatus::ALL {
            assert!(!may_report(TeamRole::FamilyContact, status));
            assert!(!may_report(TeamRole::Pharmacist, status));
            assert!(!may_report(TeamRole::Care, status));
        }
    }

    #[test]
    fn a_home_care_doctor_reports_a_discharge_only_as_taking_over() {
        let taking_over = EventDetails::Discharged {
            date: d(),
            destination: DischargeDestination::OtherHomeCareDoctor {
                doctor: "みどり在宅クリニック".into(),
            },
        };
        assert_eq!(
            check_report(TeamRole::HomeCarePhysician, &taking_over),
            Ok(())
        );
        let to_facility = EventDetails::Discharged {
            date: d(),
            destination: DischargeDestination::Facility {
                name: "さくら苑".into(),
            },
        };
        assert_eq!(
            check_report(TeamRole::HomeCarePhysician, &to_facility),
            Err(TeamError::MayNotReport {
                role: TeamRole::HomeCarePhysician,
                status: S::Discharged
            })
        );
        assert_eq!(check_report(TeamRole::Hospital, &to_facility), Ok(()));
        let died = EventDetails::Deceased {
            date: d(),
            place: "自宅".into(),
        };
        assert_eq!(check_report(TeamRole::VisitingNurse, &died), Ok(()));
        assert_eq!(
            check_report(TeamRole::CareManager, &died)
                .unwrap_err()
                .message_ja(),
            "ケアマネジャーの立場では「死亡」を記録できません"
        );
    }
}
