//! News of where the patient is, from anyone on the team: which roles may
//! record which referral status. Conservative: a role reports what it
//! witnesses in its own work; everything else stays with the hospital (its
//! liaison's statuses, as the portal offers them) and the owning clinic.
//! The status machine (`ReferralStatus::may_become`), membership and
//! consent still apply on top.

use crate::referral::{DischargeDestination, EventDetails, ReferralStatus};

use super::{TeamError, TeamRole};

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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use ReferralStatus as S;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
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
