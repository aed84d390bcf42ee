//! Ward staff on the timeline (issue 17): while the patient is in, the
//! hospital's liaison office invites named people of its own hospital —
//! 病院主治医, 病棟看護師, MSW, リハビリ — who then read and post like any
//! member. Each membership is one person's (`TeamMember::personal`). Their
//! access ends by itself a set number of days after the patient leaves
//! the hospital's care (discharge, transfer, death), shown beside their
//! name, and the office, the physician or the person may end it earlier.

use chrono::{DateTime, Duration, Utc};

use super::{MemberState, Profession, TeamChange, TeamError, TeamMember, TeamRole};

/// Days after the stay that ward staff keep access, unless the liaison
/// chose otherwise.
pub const DEFAULT_DAYS_AFTER_STAY: u16 = 14;
/// The longest a liaison may choose.
pub const MAX_DAYS_AFTER_STAY: u16 = 90;

/// The part a hospital's person plays for the team, by profession; `None`
/// for those the ward does not invite (事務, and professions of care).
pub fn ward_title(profession: Profession) -> Option<&'static str> {
    Some(match profession {
        Profession::Physician => "病院主治医",
        Profession::Nurse => "病棟看護師",
        Profession::Liaison => "MSW",
        Profession::Therapist => "リハビリ",
        _ => return None,
    })
}

/// The days after the stay as typed (full-width digits too).
pub fn parse_days_after_stay(raw: &str) -> Result<u16, TeamError> {
    let days = crate::normalize::nfkc(raw)
        .trim()
        .parse::<u16>()
        .map_err(|_| TeamError::WardDaysOutOfRange)?;
    if (1..=MAX_DAYS_AFTER_STAY).contains(&days) {
        Ok(days)
    } else {
        Err(TeamError::WardDaysOutOfRange)
    }
}

/// What the server knows of an invitation of ward staff.
#[derive(Debug, Clone, Copy)]
pub struct WardInvitation<'a> {
    /// The inviting account's membership (the office's, for a liaison).
    pub inviter: &'a TeamMember,
    pub inviter_profession: Profession,
    /// The invited account works at the inviter's hospital.
    pub same_hospital: bool,
    pub invitee_profession: Profession,
    pub days_after_stay: u16,
    pub team_consent: bool,
}

/// Whether the invitation may be made; the title the person is shown with.
pub fn check_ward_invitation(
    invitation: &WardInvitation<'_>,
    now: DateTime<Utc>,
) -> Result<&'static str, TeamError> {
    let office = invitation.inviter;
    let is_office = office.role == TeamRole::Hospital && !office.personal;
    if !is_office
        || !office.is_active_at(now)
        || invitation.inviter_profession != Profession::Liaison
    {
        return Err(TeamError::WardInviteByOfficeOnly);
    }
    if !invitation.team_consent {
        return Err(TeamError::NoTeamConsent);
    }
    if !invitation.same_hospital {
        return Err(TeamError::WardStaffOfAnotherHospital);
    }
    let Some(title) = ward_title(invitation.invitee_profession) else {
        return Err(TeamError::NotWardStaff(invitation.invitee_profession));
    };
    if !(1..=MAX_DAYS_AFTER_STAY).contains(&invitation.days_after_stay) {
        return Err(TeamError::WardDaysOutOfRange);
    }
    Ok(title)
}

/// The person on the team from now: active at once (the office vouches
/// for its own staff), open until the stay ends.
pub fn ward_member(id: String) -> (TeamMember, TeamChange) {
    let member = TeamMember {
        id,
        role: TeamRole::Hospital,
        state: MemberState::Active,
        expires_at: None,
        needs_approval: false,
        access_until: None,
        personal: true,
        first_contact_for: Vec::new(),
    };
    (member, TeamChange::Joined)
}

/// When access ends for a person kept `days` after the stay that ended at
/// `left_at`.
pub fn access_until_after_stay(left_at: DateTime<Utc>, days: u16) -> DateTime<Utc> {
    left_at + Duration::days(i64::from(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn office() -> TeamMember {
        let (mut m, _) = ward_member("office".into());
        m.personal = false;
        m
    }

    fn invitation(office: &TeamMember) -> WardInvitation<'_> {
        WardInvitation {
            inviter: office,
            inviter_profession: Profession::Liaison,
            same_hospital: true,
            invitee_profession: Profession::Nurse,
            days_after_stay: DEFAULT_DAYS_AFTER_STAY,
            team_consent: true,
        }
    }

    #[test]
    fn the_liaison_invites_her_hospitals_ward_staff() {
        let office = office();
        assert_eq!(
            check_ward_invitation(&invitation(&office), t0()),
            Ok("病棟看護師")
        );
        for (profession, title) in [
            (Profession::Physician, "病院主治医"),
            (Profession::Liaison, "MSW"),
            (Profession::Therapist, "リハビリ"),
        ] {
            let asked = WardInvitation {
                invitee_profession: profession,
                ..invitation(&office)
            };
            assert_eq!(check_ward_invitation(&asked, t0()), Ok(title));
        }
    }

    #[test]
    fn only_the_office_invites_and_only_its_own_hospitals_clinical_staff() {
        let office = office();
        let by_nurse = WardInvitation {
            inviter_profession: Profession::Nurse,
            ..invitation(&office)
        };
        assert_eq!(
            check_ward_invitation(&by_nurse, t0()),
            Err(TeamError::WardInviteByOfficeOnly)
        );
        let (ward, _) = ward_member("ward".into());
        let by_ward_member = WardInvitation {
            inviter_profession: Profession::Liaison,
            ..invitation(&ward)
        };
        assert_eq!(
            check_ward_invitation(&by_ward_member, t0()),
            Err(TeamError::WardInviteByOfficeOnly)
        );
        let mut gone = office.clone();
        gone.state = MemberState::Left;
        assert_eq!(
            check_ward_invitation(&invitation(&gone), t0()),
            Err(TeamError::WardInviteByOfficeOnly)
        );
        let elsewhere = WardInvitation {
            same_hospital: false,
            ..invitation(&office)
        };
        assert_eq!(
            check_ward_invitation(&elsewhere, t0()),
            Err(TeamError::WardStaffOfAnotherHospital)
        );
        let clerk = WardInvitation {
            invitee_profession: Profession::Clerk,
            ..invitation(&office)
        };
        assert_eq!(
            check_ward_invitation(&clerk, t0()),
            Err(TeamError::NotWardStaff(Profession::Clerk))
        );
        let no_consent = WardInvitation {
            team_consent: false,
            ..invitation(&office)
        };
        assert_eq!(
            check_ward_invitation(&no_consent, t0()),
            Err(TeamError::NoTeamConsent)
        );
    }

    #[test]
    fn the_days_after_the_stay_are_between_one_and_ninety() {
        let office = office();
        for days in [0, MAX_DAYS_AFTER_STAY + 1] {
            let asked = WardInvitation {
                days_after_stay: days,
                ..invitation(&office)
            };
            assert_eq!(
                check_ward_invitation(&asked, t0()),
                Err(TeamError::WardDaysOutOfRange)
            );
        }
        for days in [1, MAX_DAYS_AFTER_STAY] {
            let asked = WardInvitation {
                days_after_stay: days,
                ..invitation(&office)
            };
            assert!(check_ward_invitation(&asked, t0()).is_ok());
        }
    }

    #[test]
    fn the_days_are_read_as_typed() {
        assert_eq!(parse_days_after_stay(" １４ "), Ok(14));
        assert_eq!(parse_days_after_stay("7"), Ok(7));
        for bad in ["", "0", "91", "-3", "二週間", "14日"] {
            assert_eq!(
                parse_days_after_stay(bad),
                Err(TeamError::WardDaysOutOfRange),
                "{bad}"
            );
        }
    }

    #[test]
    fn access_ends_the_chosen_days_after_the_stay() {
        let (mut ward, change) = ward_member("w".into());
        assert_eq!(change, TeamChange::Joined);
        assert!(ward.is_active_at(t0()));
        let until = access_until_after_stay(t0(), DEFAULT_DAYS_AFTER_STAY);
        assert_eq!(until - t0(), Duration::days(14));
        ward.access_until = Some(until);
        assert!(ward.is_active_at(until - Duration::seconds(1)));
        assert!(!ward.is_active_at(until));
    }
}
