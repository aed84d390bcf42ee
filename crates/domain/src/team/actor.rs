//! Who is acting, relative to the invitation or membership acted on. The
//! caller knows the facts (which organisation the account is in, who sent
//! the invitation); the order in which they count is decided here, once.

/// The actor's relation to the invitation or membership it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorRelation {
    /// The team's owning clinic (主治医), acting on another member.
    Physician,
    /// The organisation that sent this invitation (when not the owner).
    Inviter,
    /// Staff of the invited (or member) organisation itself.
    Invitee,
    /// The administrator of the invited (or member) organisation.
    InviteeAdmin,
    /// Another active member of the team.
    Member,
    /// Anyone else.
    Other,
}

/// What the caller knows about the acting account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActorFacts {
    /// The account's organisation is the one invited (or the member).
    pub is_subject: bool,
    /// And the account is that organisation's administrator.
    pub is_admin: bool,
    /// The account's organisation owns the team.
    pub owns_team: bool,
    /// The account's organisation sent this invitation.
    pub sent_invitation: bool,
    /// The account's organisation is an active member of the team.
    pub is_active_member: bool,
}

/// The relation that counts. The organisation acted on comes first (the
/// owner acting on its own membership is that member, and so cannot
/// remove itself as the physician), then the owner, then the inviter.
pub fn relation(facts: ActorFacts) -> ActorRelation {
    if facts.is_subject {
        if facts.is_admin {
            ActorRelation::InviteeAdmin
        } else {
            ActorRelation::Invitee
        }
    } else if facts.owns_team {
        ActorRelation::Physician
    } else if facts.sent_invitation {
        ActorRelation::Inviter
    } else if facts.is_active_member {
        ActorRelation::Member
    } else {
        ActorRelation::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subject_counts_before_the_owner_and_the_owner_before_the_inviter() {
        let owner_on_itself = ActorFacts {
            is_subject: true,
            owns_team: true,
            ..Default::default()
        };
        assert_eq!(relation(owner_on_itself), ActorRelation::Invitee);
        let owner_who_invited = ActorFacts {
            owns_team: true,
            sent_invitation: true,
            is_active_member: true,
            ..Default::default()
        };
        assert_eq!(relation(owner_who_invited), ActorRelation::Physician);
        let inviter = ActorFacts {
            sent_invitation: true,
            is_active_member: true,
            ..Default::default()
        };
        assert_eq!(relation(inviter), ActorRelation::Inviter);
        let admin = ActorFacts {
            is_subject: true,
            is_admin: true,
            ..Default::default()
        };
        assert_eq!(relation(admin), ActorRelation::InviteeAdmin);
        let member = ActorFacts {
            is_active_member: true,
            ..Default::default()
        };
        assert_eq!(relation(member), ActorRelation::Member);
        assert_eq!(relation(ActorFacts::default()), ActorRelation::Other);
    }
}
