//! How members come to be without an invitation: the owning clinic when it
//! starts the team, and a family member listed as a contact (a name, the
//! relation and a telephone number; no account, no access).

use crate::field_rules::{Collector, Lines, TextRule, check_phone, check_text};

use super::{MemberState, TeamChange, TeamMember, TeamRole};

/// The owning clinic's membership, made when the physician starts the team.
pub fn start_team(owner_member_id: String) -> (TeamMember, TeamChange) {
    (
        active(owner_member_id, TeamRole::PrimaryPhysician),
        TeamChange::Started,
    )
}

/// A family contact as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilyContactDraft {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

/// A checked family contact: what the team shows and calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyContact {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyContactField {
    Name,
    Relation,
    Phone,
}

impl FamilyContactField {
    pub fn key(self) -> &'static str {
        match self {
            FamilyContactField::Name => "name",
            FamilyContactField::Relation => "relation",
            FamilyContactField::Phone => "phone",
        }
    }
}

/// Checks the contact and makes its membership: active at once (there is
/// no one to accept), contact only.
pub fn add_family_contact(
    member_id: String,
    draft: &FamilyContactDraft,
) -> Result<(TeamMember, FamilyContact, TeamChange), Vec<(FamilyContactField, String)>> {
    let mut errors = Collector::default();
    let line = |label, max_chars| TextRule {
        label,
        required: true,
        max_chars,
        lines: Lines::Single,
    };
    let name = errors.take(
        FamilyContactField::Name,
        check_text(&draft.name, line("お名前", 50)),
    );
    let relation = errors.take(
        FamilyContactField::Relation,
        check_text(&draft.relation, line("続柄", 20)),
    );
    let phone = errors.take(
        FamilyContactField::Phone,
        check_phone(&draft.phone, "電話番号", true),
    );
    match (name, relation, phone) {
        (Some(name), Some(relation), Some(phone)) => Ok((
            active(member_id, TeamRole::FamilyContact),
            FamilyContact {
                name,
                relation,
                phone,
            },
            TeamChange::ContactAdded,
        )),
        _ => Err(errors.into_vec()),
    }
}

fn active(id: String, role: TeamRole) -> TeamMember {
    TeamMember {
        id,
        role,
        state: MemberState::Active,
        expires_at: None,
        needs_approval: false,
        access_until: None,
        personal: false,
        first_contact_for: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_starts_with_its_owner() {
        let (owner, change) = start_team("clinic".into());
        assert_eq!(owner.role, TeamRole::PrimaryPhysician);
        assert_eq!(owner.state, MemberState::Active);
        assert_eq!(change, TeamChange::Started);
    }

    #[test]
    fn a_family_contact_is_a_name_a_relation_and_a_number() {
        let draft = FamilyContactDraft {
            name: " 山田 花子 ".into(),
            relation: "長女".into(),
            phone: "０９０ー１２３４ー５６７８".into(),
        };
        let (member, contact, change) = add_family_contact("family".into(), &draft).unwrap();
        assert!(member.role.is_contact_only());
        assert_eq!(contact.phone, "090-1234-5678");
        assert_eq!(contact.name, "山田 花子");
        assert_eq!(change, TeamChange::ContactAdded);
        let errors =
            add_family_contact("family".into(), &FamilyContactDraft::default()).unwrap_err();
        let fields: Vec<_> = errors.into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![
                FamilyContactField::Name,
                FamilyContactField::Relation,
                FamilyContactField::Phone
            ]
        );
    }
}
