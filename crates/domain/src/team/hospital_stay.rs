//! The hospital on the patient's team (issue 17): while the patient is with
//! a hospital — referred there, admitted there with or without a letter,
//! transferred there — its liaison office (地域連携室) is an active member,
//! as an office: any of its liaison officers acts for it, so a hand-over
//! between officers loses nothing. It leaves when the patient leaves that
//! hospital's care (a transfer on, a discharge, death, the episode closed).
//! Only liaison officers see the team through the office's membership: the
//! ward's staff are not on the team by working at the hospital, only when
//! the office invites them by name (`ward_staff`).

use crate::attention::in_hospital_care;
use crate::referral::{EventDetails, ReferralState};

use super::{Profession, TeamError, TeamMember, TeamRole};

/// How the office's membership names the people acting for it.
pub const HOSPITAL_OFFICE: &str = "地域連携室";

/// Whether the hospital holding the episode has the patient in its care,
/// so that its office is on the team.
pub fn office_on_team(state: &ReferralState) -> bool {
    in_hospital_care(state.status)
}

/// Whether the hospital that held the episode before `details` is still
/// with the patient after it (`state` is the episode after the event).
pub fn office_stays(details: &EventDetails, state: &ReferralState) -> bool {
    !matches!(details, EventDetails::Transferred { .. }) && office_on_team(state)
}

/// A hospital's membership is its liaison office's: only its liaison
/// officers read and post through it. A person the office invited acts
/// through their own membership, whatever their profession.
pub(crate) fn check_hospital_profession(
    member: &TeamMember,
    profession: Profession,
) -> Result<(), TeamError> {
    if acts_through(member.role, member.personal, profession) {
        Ok(())
    } else {
        Err(TeamError::HospitalOfficeOnly)
    }
}

/// Whether an account of `profession` acts through a membership of `role`
/// (`personal`: one person's own): a list of teams leaves out the
/// hospital office's for the ward's staff.
pub fn acts_through(role: TeamRole, personal: bool, profession: Profession) -> bool {
    role != TeamRole::Hospital || personal || profession == Profession::Liaison
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::referral::{ReferralEvent, replay};

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, day).unwrap()
    }

    fn after(events: &[EventDetails]) -> bool {
        let list: Vec<ReferralEvent> = events
            .iter()
            .enumerate()
            .map(|(i, details)| ReferralEvent {
                id: i.to_string(),
                details: Some(details.clone()),
                voids: None,
            })
            .collect();
        let state = replay(&list).unwrap();
        office_stays(events.last().unwrap(), &state)
    }

    #[test]
    fn the_office_stays_while_the_patient_is_with_its_hospital() {
        let sent = EventDetails::Sent {
            date: d(1),
            hospital: "北病院".into(),
        };
        let admitted = EventDetails::Admitted {
            date: d(2),
            ward: "4階東".into(),
            attending: String::new(),
        };
        let planned = EventDetails::DischargePlanned {
            date: d(3),
            expected_date: d(9),
            planned_destination: None,
            team: String::new(),
        };
        assert!(after(&[sent.clone(), admitted.clone(), planned.clone()]));
        let transferred = EventDetails::Transferred {
            date: d(4),
            hospital: "南病院".into(),
        };
        assert!(!after(&[sent.clone(), admitted.clone(), transferred]));
        let discharged = EventDetails::Discharged {
            date: d(9),
            destination: crate::referral::DischargeDestination::ThisClinic,
        };
        assert!(!after(&[
            sent.clone(),
            admitted.clone(),
            planned,
            discharged
        ]));
        let died = EventDetails::Deceased {
            date: d(5),
            place: String::new(),
        };
        assert!(!after(&[sent, admitted, died]));
    }

    #[test]
    fn only_liaison_officers_act_for_a_hospitals_office() {
        let (mut office, _) = crate::team::ward_member("office".into());
        office.personal = false;
        assert!(check_hospital_profession(&office, Profession::Liaison).is_ok());
        for profession in [Profession::Physician, Profession::Nurse, Profession::Clerk] {
            assert_eq!(
                check_hospital_profession(&office, profession),
                Err(TeamError::HospitalOfficeOnly)
            );
        }
        let nurse_station = TeamMember {
            role: TeamRole::VisitingNurse,
            ..office.clone()
        };
        assert!(check_hospital_profession(&nurse_station, Profession::Nurse).is_ok());
        // A ward nurse the office invited acts through her own membership.
        let (ward, _) = crate::team::ward_member("ward".into());
        assert!(check_hospital_profession(&ward, Profession::Nurse).is_ok());
    }
}
