//! Who the team calls first for each kind of question (夜間・休日 and so
//! on): at most one active member per topic, never a family contact, set
//! by the physician.

use chrono::{DateTime, Utc};

use super::{TeamError, TeamMember};

/// The kinds of question a first contact is named for. A small closed set,
/// so the team's page can show one line per topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FirstContactTopic {
    /// 夜間・休日: who answers out of hours (often the 24-hour nurse station).
    NightAndHoliday,
    /// 病状・医療
    Medical,
    /// 服薬
    Medication,
    /// 介護サービス・生活
    CareAndLiving,
    /// 口腔
    Oral,
}

impl FirstContactTopic {
    pub const ALL: [FirstContactTopic; 5] = [
        FirstContactTopic::NightAndHoliday,
        FirstContactTopic::Medical,
        FirstContactTopic::Medication,
        FirstContactTopic::CareAndLiving,
        FirstContactTopic::Oral,
    ];

    pub fn code(self) -> &'static str {
        use FirstContactTopic::*;
        match self {
            NightAndHoliday => "night_and_holiday",
            Medical => "medical",
            Medication => "medication",
            CareAndLiving => "care_and_living",
            Oral => "oral",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use FirstContactTopic::*;
        match self {
            NightAndHoliday => "夜間・休日",
            Medical => "病状・医療",
            Medication => "服薬",
            CareAndLiving => "介護サービス・生活",
            Oral => "口腔",
        }
    }
}

/// Checks the members' designations as stored: no family contact named,
/// and at most one per topic among the active. A member who left keeps
/// its old designation in the history but no longer counts.
pub fn check_first_contacts(members: &[TeamMember], now: DateTime<Utc>) -> Result<(), TeamError> {
    if members
        .iter()
        .any(|m| m.role.is_contact_only() && !m.first_contact_for.is_empty())
    {
        return Err(TeamError::FirstContactIsContactOnly);
    }
    for topic in FirstContactTopic::ALL {
        let named = members
            .iter()
            .filter(|m| m.is_active_at(now) && m.first_contact_for.contains(&topic))
            .count();
        if named > 1 {
            return Err(TeamError::FirstContactTaken(topic));
        }
    }
    Ok(())
}

/// The active member to call first about `topic`, if one is named.
pub fn first_contact(
    members: &[TeamMember],
    topic: FirstContactTopic,
    now: DateTime<Utc>,
) -> Option<&TeamMember> {
    members
        .iter()
        .find(|m| m.is_active_at(now) && m.first_contact_for.contains(&topic))
}

/// Names `member_id` the first contact for `topic`, taking the topic from
/// whoever held it: marking a new 夜間 contact replaces the old one.
pub fn assign_first_contact(
    members: &mut [TeamMember],
    member_id: &str,
    topic: FirstContactTopic,
    by_physician: bool,
    now: DateTime<Utc>,
) -> Result<(), TeamError> {
    if !by_physician {
        return Err(TeamError::OnlyPhysicianSetsFirstContact);
    }
    let Some(target) = members.iter().find(|m| m.id == member_id) else {
        return Err(TeamError::FirstContactNotActive);
    };
    if target.role.is_contact_only() {
        return Err(TeamError::FirstContactIsContactOnly);
    }
    if !target.is_active_at(now) {
        return Err(TeamError::FirstContactNotActive);
    }
    for m in members.iter_mut() {
        m.first_contact_for.retain(|t| *t != topic);
        if m.id == member_id {
            m.first_contact_for.push(topic);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::{MemberState, TeamRole};

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn m(id: &str, role: TeamRole, state: MemberState, topics: &[FirstContactTopic]) -> TeamMember {
        TeamMember {
            id: id.into(),
            role,
            state,
            expires_at: None,
            needs_approval: false,
            access_until: None,
            personal: false,
            first_contact_for: topics.to_vec(),
        }
    }

    use FirstContactTopic::*;

    #[test]
    fn topics_round_trip() {
        for t in FirstContactTopic::ALL {
            assert_eq!(FirstContactTopic::from_code(t.code()), Some(t));
        }
    }

    #[test]
    fn two_first_contacts_for_one_topic_are_refused() {
        let members = vec![
            m(
                "clinic",
                TeamRole::PrimaryPhysician,
                MemberState::Active,
                &[Medical],
            ),
            m(
                "nurse",
                TeamRole::VisitingNurse,
                MemberState::Active,
                &[NightAndHoliday],
            ),
            m(
                "other",
                TeamRole::HomeCarePhysician,
                MemberState::Active,
                &[NightAndHoliday],
            ),
        ];
        assert_eq!(
            check_first_contacts(&members, now()),
            Err(TeamError::FirstContactTaken(NightAndHoliday))
        );
        assert_eq!(check_first_contacts(&members[..2], now()), Ok(()));
        // One who left no longer counts.
        let mut gone = members.clone();
        gone[2].state = MemberState::Left;
        assert_eq!(check_first_contacts(&gone, now()), Ok(()));
        assert_eq!(
            first_contact(&gone, NightAndHoliday, now()).map(|m| m.id.as_str()),
            Some("nurse")
        );
        assert_eq!(first_contact(&gone, Oral, now()), None);
    }

    #[test]
    fn a_family_contact_is_never_the_first_contact() {
        let members = vec![m(
            "family",
            TeamRole::FamilyContact,
            MemberState::Active,
            &[NightAndHoliday],
        )];
        assert_eq!(
            check_first_contacts(&members, now()),
            Err(TeamError::FirstContactIsContactOnly)
        );
        let mut members = vec![m(
            "family",
            TeamRole::FamilyContact,
            MemberState::Active,
            &[],
        )];
        assert_eq!(
            assign_first_contact(&mut members, "family", Medical, true, now()),
            Err(TeamError::FirstContactIsContactOnly)
        );
    }

    #[test]
    fn assigning_moves_the_topic() {
        let mut members = vec![
            m(
                "nurse",
                TeamRole::VisitingNurse,
                MemberState::Active,
                &[NightAndHoliday],
            ),
            m(
                "doctor",
                TeamRole::HomeCarePhysician,
                MemberState::Active,
                &[],
            ),
            m("invited", TeamRole::Pharmacist, MemberState::Invited, &[]),
        ];
        assign_first_contact(&mut members, "doctor", NightAndHoliday, true, now()).unwrap();
        assert!(members[0].first_contact_for.is_empty());
        assert_eq!(members[1].first_contact_for, vec![NightAndHoliday]);
        assert_eq!(check_first_contacts(&members, now()), Ok(()));
        assert_eq!(
            assign_first_contact(&mut members, "invited", Medication, true, now()),
            Err(TeamError::FirstContactNotActive)
        );
        assert_eq!(
            assign_first_contact(&mut members, "nurse", Medication, false, now()),
            Err(TeamError::OnlyPhysicianSetsFirstContact)
        );
    }
}
