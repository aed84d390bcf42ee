//! An invitation to a patient's team and its states: invited → accepted,
//! declined, expired or cancelled, with "awaiting the invitee
//! organisation's approval" between invited and accepted where that
//! organisation asks for it. Expiry is not an event anyone must remember
//! to record: an invitation is expired whenever it is looked at after its
//! time (`state_at`).

use chrono::{DateTime, Duration, Utc};

use super::{ActorRelation, Invitee, TeamError, TeamRole, check_invitee};

/// How long an invitation (or a resent one) may be answered.
pub const INVITATION_VALID_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvitationState {
    Invited,
    /// Accepted by the invitee's staff; its administrator has yet to approve.
    AwaitingApproval,
    Accepted,
    Declined,
    Expired,
    Cancelled,
}

impl InvitationState {
    pub const ALL: [InvitationState; 6] = [
        InvitationState::Invited,
        InvitationState::AwaitingApproval,
        InvitationState::Accepted,
        InvitationState::Declined,
        InvitationState::Expired,
        InvitationState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        use InvitationState::*;
        match self {
            Invited => "invited",
            AwaitingApproval => "awaiting_approval",
            Accepted => "accepted",
            Declined => "declined",
            Expired => "expired",
            Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use InvitationState::*;
        match self {
            Invited => "招待中",
            AwaitingApproval => "承認待ち",
            Accepted => "参加",
            Declined => "辞退",
            Expired => "期限切れ",
            Cancelled => "取消",
        }
    }

    /// Still to be answered (or approved).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            InvitationState::Invited | InvitationState::AwaitingApproval
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationAction {
    /// The invitee's answer yes.
    Accept,
    /// The invitee's answer no.
    Decline,
    /// The invitee organisation's administrator lets an acceptance stand.
    Approve,
    /// The inviter (or the physician) sends it again: a new period.
    Resend,
    /// The inviter (or the physician) takes it back.
    Cancel,
    /// Recording that its time passed (a sweep); `state_at` already says so.
    Expire,
}

/// An invitation's state and the time it may be answered until.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationStep {
    pub state: InvitationState,
    pub expires_at: DateTime<Utc>,
}

/// When an invitation sent (or resent) at `sent_at` expires.
pub fn invitation_expires_at(sent_at: DateTime<Utc>) -> DateTime<Utc> {
    sent_at + Duration::days(INVITATION_VALID_DAYS)
}

/// Whether `role` may be offered to `invitee` by a team member (`inviter_active`:
/// the inviting organisation is an active member; the owner always is).
/// Any active member may invite: the hospital's liaison brings in the ward,
/// the care manager the care services. Returns the new invitation.
pub fn check_invitation(
    inviter_active: bool,
    invitee: &Invitee,
    role: TeamRole,
    now: DateTime<Utc>,
) -> Result<InvitationStep, TeamError> {
    if !inviter_active {
        return Err(TeamError::InviterNotActive);
    }
    if role.is_owner() {
        return Err(TeamError::PrimaryPhysicianIsTheOwner);
    }
    if role.is_contact_only() {
        return Err(TeamError::ContactIsNotInvited);
    }
    check_invitee(invitee)?;
    if !role.may_be_held_by(invitee.kind) {
        return Err(TeamError::RoleDoesNotFit {
            role,
            kind: invitee.kind,
        });
    }
    Ok(InvitationStep {
        state: InvitationState::Invited,
        expires_at: invitation_expires_at(now),
    })
}

/// The state as it stands at `now`: a pending invitation past its time is
/// expired, whatever was stored.
pub fn state_at(
    stored: InvitationState,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> InvitationState {
    if stored.is_pending() && now >= expires_at {
        InvitationState::Expired
    } else {
        stored
    }
}

/// One step of the machine. `needs_approval` is the invitee
/// organisation's setting. Who may act is checked before what state the
/// invitation is in, so a stranger learns nothing about it.
pub fn apply(
    stored: InvitationState,
    action: InvitationAction,
    actor: ActorRelation,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    needs_approval: bool,
) -> Result<InvitationStep, TeamError> {
    use ActorRelation as A;
    use InvitationAction as Act;
    use InvitationState::*;
    let current = state_at(stored, now, expires_at);
    let invitee = matches!(actor, A::Invitee | A::InviteeAdmin);
    let inviter = matches!(actor, A::Inviter | A::Physician);
    let keep = |state| Ok(InvitationStep { state, expires_at });
    match action {
        Act::Accept | Act::Decline if !invitee => Err(TeamError::OnlyInviteeAnswers),
        Act::Approve if actor != A::InviteeAdmin => Err(TeamError::OnlyInviteeAdminApproves),
        Act::Resend | Act::Cancel if !inviter => Err(TeamError::OnlyInviterResendsOrCancels),
        Act::Accept => match current {
            // The administrator's own acceptance needs no approval.
            Invited if needs_approval && actor != A::InviteeAdmin => keep(AwaitingApproval),
            Invited => keep(Accepted),
            AwaitingApproval if actor == A::InviteeAdmin => keep(Accepted),
            AwaitingApproval => Err(TeamError::AlreadyAccepted),
            settled => Err(settled_error(settled)),
        },
        Act::Decline => match current {
            Invited | AwaitingApproval => keep(Declined),
            settled => Err(settled_error(settled)),
        },
        Act::Approve => match current {
            AwaitingApproval => keep(Accepted),
            Invited => Err(TeamError::NotAwaitingApproval),
            settled => Err(settled_error(settled)),
        },
        Act::Resend => match (current, stored) {
            // An acceptance already given still waits for approval.
            (AwaitingApproval, _) | (Expired, AwaitingApproval) => Ok(InvitationStep {
                state: AwaitingApproval,
                expires_at: invitation_expires_at(now),
            }),
            (Invited | Expired, _) => Ok(InvitationStep {
                state: Invited,
                expires_at: invitation_expires_at(now),
            }),
            (settled, _) => Err(settled_error(settled)),
        },
        Act::Cancel => match current {
            Invited | AwaitingApproval => keep(Cancelled),
            settled => Err(settled_error(settled)),
        },
        Act::Expire => match (stored, current) {
            (Invited | AwaitingApproval, Expired) => keep(Expired),
            (Invited | AwaitingApproval, _) => Err(TeamError::NotYetExpired),
            (settled, _) => Err(settled_error(settled)),
        },
    }
}

/// Why nothing more can be done with an invitation that is no longer pending.
fn settled_error(state: InvitationState) -> TeamError {
    match state {
        InvitationState::Accepted => TeamError::AlreadyMember,
        InvitationState::Declined => TeamError::InvitationDeclined,
        InvitationState::Expired => TeamError::InvitationExpired,
        InvitationState::Cancelled => TeamError::InvitationCancelled,
        // Not reached: callers match the pending states first.
        InvitationState::Invited | InvitationState::AwaitingApproval => {
            TeamError::NotAwaitingApproval
        }
    }
}

#[cfg(test)]
mod tests;
