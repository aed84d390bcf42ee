//! A member's role on a patient's team, and which kinds of organisation
//! may hold each.

use super::OrganisationKind;

/// The part a member plays on the team. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeamRole {
    /// 主治医: the clinic that started the team and owns the patient's
    /// record. Exactly one, never invited, never removed.
    PrimaryPhysician,
    /// 在宅医: a home-care doctor other than the 主治医.
    HomeCarePhysician,
    /// 訪問看護
    VisitingNurse,
    /// ケアマネジャー
    CareManager,
    /// 薬剤師
    Pharmacist,
    /// 歯科
    Dental,
    /// リハビリ
    Rehabilitation,
    /// 介護
    Care,
    /// 病院 and its staff (連携室, ward staff while the patient is in).
    Hospital,
    /// 家族の連絡先: a name and a telephone number, nothing more.
    FamilyContact,
}

impl TeamRole {
    pub const ALL: [TeamRole; 10] = [
        TeamRole::PrimaryPhysician,
        TeamRole::HomeCarePhysician,
        TeamRole::VisitingNurse,
        TeamRole::CareManager,
        TeamRole::Pharmacist,
        TeamRole::Dental,
        TeamRole::Rehabilitation,
        TeamRole::Care,
        TeamRole::Hospital,
        TeamRole::FamilyContact,
    ];

    pub fn code(self) -> &'static str {
        use TeamRole::*;
        match self {
            PrimaryPhysician => "primary_physician",
            HomeCarePhysician => "home_care_physician",
            VisitingNurse => "visiting_nurse",
            CareManager => "care_manager",
            Pharmacist => "pharmacist",
            Dental => "dental",
            Rehabilitation => "rehabilitation",
            Care => "care",
            Hospital => "hospital",
            FamilyContact => "family_contact",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use TeamRole::*;
        match self {
            PrimaryPhysician => "主治医",
            HomeCarePhysician => "在宅医",
            VisitingNurse => "訪問看護",
            CareManager => "ケアマネジャー",
            Pharmacist => "薬剤師",
            Dental => "歯科",
            Rehabilitation => "リハビリ",
            Care => "介護",
            Hospital => "病院",
            FamilyContact => "家族の連絡先",
        }
    }

    /// 家族の連絡先 is listed for the team to call; it has no account, reads
    /// nothing, receives nothing and is not counted in read receipts.
    pub fn is_contact_only(self) -> bool {
        self == TeamRole::FamilyContact
    }

    /// The team's owner holds 主治医, and only the owner does.
    pub fn is_owner(self) -> bool {
        self == TeamRole::PrimaryPhysician
    }

    /// Which kinds of organisation may hold the role. Generous where the
    /// practice is (みなし訪問看護 by hospitals and clinics, therapists sent
    /// by visiting-nurse stations, the 地域包括支援センター's care plans for
    /// 要支援), never crossing between medicine and care otherwise.
    pub fn may_be_held_by(self, kind: OrganisationKind) -> bool {
        use OrganisationKind as K;
        use TeamRole::*;
        let kinds: &[OrganisationKind] = match self {
            PrimaryPhysician | HomeCarePhysician => &[K::Clinic, K::Hospital],
            VisitingNurse => &[K::VisitingNurseStation, K::Clinic, K::Hospital],
            CareManager => &[K::CareManagementOffice, K::CommunitySupportCenter],
            Pharmacist => &[K::Pharmacy],
            Dental => &[K::DentalClinic, K::Hospital],
            Rehabilitation => &[
                K::HomeRehabilitation,
                K::VisitingNurseStation,
                K::Clinic,
                K::Hospital,
            ],
            Care => &[K::CareService],
            Hospital => &[K::Hospital],
            // A person, not an organisation.
            FamilyContact => &[],
        };
        kinds.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in TeamRole::ALL {
            assert_eq!(TeamRole::from_code(role.code()), Some(role));
        }
        assert_eq!(TeamRole::from_code("nurse"), None);
    }

    #[test]
    fn only_the_family_contact_is_contact_only() {
        let contact_only: Vec<_> = TeamRole::ALL
            .into_iter()
            .filter(|r| r.is_contact_only())
            .collect();
        assert_eq!(contact_only, vec![TeamRole::FamilyContact]);
    }

    #[test]
    fn roles_fit_their_kinds_of_organisation() {
        use OrganisationKind as K;
        assert!(TeamRole::VisitingNurse.may_be_held_by(K::VisitingNurseStation));
        assert!(!TeamRole::VisitingNurse.may_be_held_by(K::Pharmacy));
        assert!(!TeamRole::Care.may_be_held_by(K::Clinic));
        assert!(!TeamRole::Hospital.may_be_held_by(K::Clinic));
        for kind in K::ALL {
            assert!(!TeamRole::FamilyContact.may_be_held_by(kind));
        }
        // No role is held by the desk.
        assert!(
            TeamRole::ALL
                .into_iter()
                .all(|r| !r.may_be_held_by(K::Desk))
        );
    }
}
