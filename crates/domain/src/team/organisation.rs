//! The kinds of organisation in a region, and which of them a team may
//! invite. Whether an organisation's invitations wait for its
//! administrator's approval is that organisation's own setting (a bool the
//! caller passes in), not a property of its kind.

use super::TeamError;

/// An organisation's kind. Stored as its code; `clinic`, `hospital` and
/// `desk` are the codes the server already keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    /// 病院
    Hospital,
    /// 診療所 (かかりつけ医・在宅医)
    Clinic,
    /// 訪問看護ステーション
    VisitingNurseStation,
    /// 居宅介護支援事業所 (the care manager's office)
    CareManagementOffice,
    /// 保険薬局
    Pharmacy,
    /// 歯科診療所
    DentalClinic,
    /// 訪問リハビリ事業所
    HomeRehabilitation,
    /// 介護事業所 (訪問介護・通所・施設)
    CareService,
    /// 地域包括支援センター
    CommunitySupportCenter,
    /// The regional desk (在宅医療相談窓口): it runs the region, it is
    /// never a member of a patient's team.
    Desk,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 10] = [
        OrganisationKind::Hospital,
        OrganisationKind::Clinic,
        OrganisationKind::VisitingNurseStation,
        OrganisationKind::CareManagementOffice,
        OrganisationKind::Pharmacy,
        OrganisationKind::DentalClinic,
        OrganisationKind::HomeRehabilitation,
        OrganisationKind::CareService,
        OrganisationKind::CommunitySupportCenter,
        OrganisationKind::Desk,
    ];

    pub fn code(self) -> &'static str {
        use OrganisationKind::*;
        match self {
            Hospital => "hospital",
            Clinic => "clinic",
            VisitingNurseStation => "visiting_nurse_station",
            CareManagementOffice => "care_management_office",
            Pharmacy => "pharmacy",
            DentalClinic => "dental_clinic",
            HomeRehabilitation => "home_rehabilitation",
            CareService => "care_service",
            CommunitySupportCenter => "community_support_center",
            Desk => "desk",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use OrganisationKind::*;
        match self {
            Hospital => "病院",
            Clinic => "診療所",
            VisitingNurseStation => "訪問看護ステーション",
            CareManagementOffice => "居宅介護支援事業所",
            Pharmacy => "保険薬局",
            DentalClinic => "歯科診療所",
            HomeRehabilitation => "訪問リハビリ事業所",
            CareService => "介護事業所",
            CommunitySupportCenter => "地域包括支援センター",
            Desk => "相談窓口",
        }
    }

    /// Every kind but the desk may be invited to a patient's team: the desk
    /// sees the region's referrals under its own consent scope, not the
    /// team's talk.
    pub fn may_join_team(self) -> bool {
        self != OrganisationKind::Desk
    }
}

/// What the inviter needs to know about the organisation it invites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitee {
    pub kind: OrganisationKind,
    /// The desk stopped the organisation (停止中): it signs nothing in and
    /// joins nothing.
    pub stopped: bool,
    /// The organisation's own setting: its administrator approves every
    /// acceptance before its staff see a team.
    pub needs_approval: bool,
}

/// Whether an organisation may be invited at all (the role it would hold
/// is checked by `check_invitation`).
pub fn check_invitee(invitee: &Invitee) -> Result<(), TeamError> {
    if !invitee.kind.may_join_team() {
        return Err(TeamError::NotInvitable(invitee.kind));
    }
    if invitee.stopped {
        return Err(TeamError::OrganisationStopped);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_keep_the_servers_codes() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(OrganisationKind::Clinic.code(), "clinic");
        assert_eq!(OrganisationKind::Hospital.code(), "hospital");
        assert_eq!(OrganisationKind::Desk.code(), "desk");
        assert_eq!(OrganisationKind::from_code("病院"), None);
    }

    #[test]
    fn the_desk_and_stopped_organisations_are_not_invited() {
        let station = Invitee {
            kind: OrganisationKind::VisitingNurseStation,
            stopped: false,
            needs_approval: false,
        };
        assert_eq!(check_invitee(&station), Ok(()));
        let stopped = Invitee {
            stopped: true,
            ..station
        };
        assert_eq!(check_invitee(&stopped), Err(TeamError::OrganisationStopped));
        assert_eq!(
            TeamError::OrganisationStopped.message_ja(),
            "停止中の機関は招待できません"
        );
        let desk = Invitee {
            kind: OrganisationKind::Desk,
            ..station
        };
        assert_eq!(
            check_invitee(&desk),
            Err(TeamError::NotInvitable(OrganisationKind::Desk))
        );
        let joinable = OrganisationKind::ALL
            .into_iter()
            .filter(|k| k.may_join_team())
            .count();
        assert_eq!(joinable, 9);
    }
}
