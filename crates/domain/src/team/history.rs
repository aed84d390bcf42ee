//! What the team's history records: every change to who is on the team,
//! stored as a code with the member it concerns, the account and the time.

use super::{InvitationAction, InvitationState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeamChange {
    /// The physician started the team (the owner's membership).
    Started,
    Invited,
    Resent,
    Cancelled,
    /// Accepted, the invitee organisation's approval still to come.
    AcceptedAwaitingApproval,
    /// Accepted (or approved): now an active member.
    Joined,
    Declined,
    Expired,
    Left,
    Removed,
    /// A family member's name and number were put on the team.
    ContactAdded,
    /// Someone became the first contact for a topic.
    FirstContactSet,
}

impl TeamChange {
    pub const ALL: [TeamChange; 12] = [
        TeamChange::Started,
        TeamChange::Invited,
        TeamChange::Resent,
        TeamChange::Cancelled,
        TeamChange::AcceptedAwaitingApproval,
        TeamChange::Joined,
        TeamChange::Declined,
        TeamChange::Expired,
        TeamChange::Left,
        TeamChange::Removed,
        TeamChange::ContactAdded,
        TeamChange::FirstContactSet,
    ];

    pub fn code(self) -> &'static str {
        use TeamChange::*;
        match self {
            Started => "started",
            Invited => "invited",
            Resent => "resent",
            Cancelled => "cancelled",
            AcceptedAwaitingApproval => "accepted_awaiting_approval",
            Joined => "joined",
            Declined => "declined",
            Expired => "expired",
            Left => "left",
            Removed => "removed",
            ContactAdded => "contact_added",
            FirstContactSet => "first_contact_set",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The history's line, after the member's name.
    pub fn label_ja(self) -> &'static str {
        use TeamChange::*;
        match self {
            Started => "チームを始めました",
            Invited => "招待されました",
            Resent => "招待が再送されました",
            Cancelled => "招待が取り消されました",
            AcceptedAwaitingApproval => "招待を承諾しました（機関の承認待ち）",
            Joined => "チームに参加しました",
            Declined => "招待を辞退しました",
            Expired => "招待の期限が切れました",
            Left => "チームから外れました",
            Removed => "チームから外されました",
            ContactAdded => "家族の連絡先として登録されました",
            FirstContactSet => "最初の連絡先になりました",
        }
    }

    /// The change an invitation step makes.
    pub fn of_invitation(action: InvitationAction, after: InvitationState) -> Self {
        match (action, after) {
            (_, InvitationState::Accepted) => TeamChange::Joined,
            (InvitationAction::Resend, _) => TeamChange::Resent,
            (_, InvitationState::AwaitingApproval) => TeamChange::AcceptedAwaitingApproval,
            (_, InvitationState::Declined) => TeamChange::Declined,
            (_, InvitationState::Expired) => TeamChange::Expired,
            (_, InvitationState::Cancelled) => TeamChange::Cancelled,
            (_, InvitationState::Invited) => TeamChange::Invited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_round_trip() {
        for c in TeamChange::ALL {
            assert_eq!(TeamChange::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn invitation_steps_name_their_change() {
        use InvitationAction as A;
        use InvitationState as S;
        assert_eq!(
            TeamChange::of_invitation(A::Accept, S::Accepted),
            TeamChange::Joined
        );
        assert_eq!(
            TeamChange::of_invitation(A::Approve, S::Accepted),
            TeamChange::Joined
        );
        assert_eq!(
            TeamChange::of_invitation(A::Accept, S::AwaitingApproval),
            TeamChange::AcceptedAwaitingApproval
        );
        assert_eq!(
            TeamChange::of_invitation(A::Resend, S::AwaitingApproval),
            TeamChange::Resent
        );
        assert_eq!(
            TeamChange::of_invitation(A::Resend, S::Invited),
            TeamChange::Resent
        );
        assert_eq!(
            TeamChange::of_invitation(A::Cancel, S::Cancelled),
            TeamChange::Cancelled
        );
    }
}
