//! A member of a patient's team and its states. An invitation that is
//! accepted (and approved where asked) makes an active member; an active
//! member leaves, or is removed by the physician. Invitations that never
//! became active keep their last state (declined, expired, cancelled) so
//! the team's history shows them.

use chrono::{DateTime, Utc};

use super::invitation::{self, InvitationAction, InvitationState};
use super::{ActorRelation, FirstContactTopic, TeamChange, TeamError, TeamRole};

/// A member's state. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberState {
    Invited,
    AwaitingApproval,
    Active,
    Left,
    Removed,
    Declined,
    Expired,
    Cancelled,
}

impl MemberState {
    pub const ALL: [MemberState; 8] = [
        MemberState::Invited,
        MemberState::AwaitingApproval,
        MemberState::Active,
        MemberState::Left,
        MemberState::Removed,
        MemberState::Declined,
        MemberState::Expired,
        MemberState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        use MemberState::*;
        match self {
            Invited => "invited",
            AwaitingApproval => "awaiting_approval",
            Active => "active",
            Left => "left",
            Removed => "removed",
            Declined => "declined",
            Expired => "expired",
            Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use MemberState::*;
        match self {
            Invited => "招待中",
            AwaitingApproval => "承認待ち",
            Active => "参加中",
            Left => "退出",
            Removed => "除外",
            Declined => "辞退",
            Expired => "期限切れ",
            Cancelled => "招待取消",
        }
    }

    /// The state of the invitation behind the membership (an active, left
    /// or removed member once accepted one).
    pub fn invitation_state(self) -> InvitationState {
        use MemberState::*;
        match self {
            Invited => InvitationState::Invited,
            AwaitingApproval => InvitationState::AwaitingApproval,
            Active | Left | Removed => InvitationState::Accepted,
            Declined => InvitationState::Declined,
            Expired => InvitationState::Expired,
            Cancelled => InvitationState::Cancelled,
        }
    }

    pub fn from_invitation(state: InvitationState) -> Self {
        match state {
            InvitationState::Invited => MemberState::Invited,
            InvitationState::AwaitingApproval => MemberState::AwaitingApproval,
            InvitationState::Accepted => MemberState::Active,
            InvitationState::Declined => MemberState::Declined,
            InvitationState::Expired => MemberState::Expired,
            InvitationState::Cancelled => MemberState::Cancelled,
        }
    }
}

/// One member of a team, as the rules need it (names and organisations are
/// the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub id: String,
    pub role: TeamRole,
    pub state: MemberState,
    /// Until when a pending invitation may be answered; `None` for the
    /// owner and family contacts, who are never invited.
    pub expires_at: Option<DateTime<Utc>>,
    /// The invitee organisation's setting when it was invited.
    pub needs_approval: bool,
    /// Ward staff invited for a stay see the team until then (DESIGN.md §9).
    pub access_until: Option<DateTime<Utc>>,
    /// One named person's membership (ward staff invited by name), not
    /// the organisation's: only that account acts through it.
    pub personal: bool,
    pub first_contact_for: Vec<FirstContactTopic>,
}

impl TeamMember {
    /// The state at `now`: a pending invitation past its time is expired.
    pub fn state_at(&self, now: DateTime<Utc>) -> MemberState {
        match (self.state.invitation_state().is_pending(), self.expires_at) {
            (true, Some(expires_at)) => MemberState::from_invitation(invitation::state_at(
                self.state.invitation_state(),
                now,
                expires_at,
            )),
            // A pending invitation without a time is treated as run out.
            (true, None) => MemberState::Expired,
            (false, _) => self.state,
        }
    }

    /// Active at `now`, within any access period.
    pub fn is_active_at(&self, now: DateTime<Utc>) -> bool {
        self.state_at(now) == MemberState::Active
            && self.access_until.is_none_or(|until| now < until)
    }

    /// An organisation's active membership invites others; a person
    /// invited by name (ward staff) does not.
    pub fn may_invite_at(&self, now: DateTime<Utc>) -> bool {
        self.is_active_at(now) && !self.personal
    }
}

/// What a member may be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAction {
    Invitation(InvitationAction),
    /// The member organisation leaves the team.
    Leave,
    /// The physician takes the member off the team.
    Remove,
}

/// A member after an action, and the line for the team's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub member: TeamMember,
    pub change: TeamChange,
}

/// One step of the member machine.
pub fn apply(
    member: &TeamMember,
    action: MemberAction,
    actor: ActorRelation,
    now: DateTime<Utc>,
) -> Result<Applied, TeamError> {
    let done = |state: MemberState, expires_at, change| {
        Ok(Applied {
            member: TeamMember {
                state,
                expires_at,
                ..member.clone()
            },
            change,
        })
    };
    let state = member.state_at(now);
    match action {
        MemberAction::Leave | MemberAction::Remove if member.role.is_owner() => {
            Err(TeamError::OwnerStays)
        }
        MemberAction::Leave
            if !matches!(actor, ActorRelation::Invitee | ActorRelation::InviteeAdmin) =>
        {
            Err(TeamError::OnlyMemberLeaves)
        }
        // The office that invited a ward member ends its access early too.
        MemberAction::Remove
            if actor != ActorRelation::Physician
                && !(member.personal && actor == ActorRelation::Inviter) =>
        {
            Err(TeamError::OnlyPhysicianRemoves)
        }
        MemberAction::Leave | MemberAction::Remove => match state {
            MemberState::Active if action == MemberAction::Leave => {
                done(MemberState::Left, member.expires_at, TeamChange::Left)
            }
            MemberState::Active => {
                done(MemberState::Removed, member.expires_at, TeamChange::Removed)
            }
            other => Err(not_a_member(other)),
        },
        MemberAction::Invitation(step) => match state {
            MemberState::Left | MemberState::Removed => Err(not_a_member(state)),
            _ => {
                let expires_at = member.expires_at.unwrap_or(now);
                let next = invitation::apply(
                    member.state.invitation_state(),
                    step,
                    actor,
                    now,
                    expires_at,
                    member.needs_approval,
                )?;
                done(
                    MemberState::from_invitation(next.state),
                    Some(next.expires_at),
                    TeamChange::of_invitation(step, next.state),
                )
            }
        },
    }
}

/// Why a member who is not active cannot leave, be removed, or answer.
fn not_a_member(state: MemberState) -> TeamError {
    match state {
        MemberState::Left => TeamError::AlreadyLeft,
        MemberState::Removed => TeamError::AlreadyRemoved,
        MemberState::Invited | MemberState::AwaitingApproval => TeamError::NotYetJoined,
        MemberState::Active
        | MemberState::Declined
        | MemberState::Expired
        | MemberState::Cancelled => TeamError::NeverJoined,
    }
}

#[cfg(test)]
mod tests;
