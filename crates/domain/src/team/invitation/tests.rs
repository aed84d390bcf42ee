use super::*;
use crate::team::OrganisationKind;
use ActorRelation as A;
use InvitationAction as Act;
use InvitationState::*;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn later(days: i64) -> DateTime<Utc> {
    t0() + Duration::days(days)
}

fn expiry() -> DateTime<Utc> {
    invitation_expires_at(t0())
}

/// Applies `action` at day 1 (within the period) without approval.
fn step(
    stored: InvitationState,
    action: InvitationAction,
    actor: ActorRelation,
) -> Result<InvitationState, TeamError> {
    apply(stored, action, actor, later(1), expiry(), false).map(|s| s.state)
}

fn station() -> Invitee {
    Invitee {
        kind: OrganisationKind::VisitingNurseStation,
        stopped: false,
        needs_approval: false,
    }
}

#[test]
fn states_round_trip() {
    for s in InvitationState::ALL {
        assert_eq!(InvitationState::from_code(s.code()), Some(s));
    }
}

#[test]
fn an_invitation_lasts_fourteen_days() {
    let step = check_invitation(true, &station(), TeamRole::VisitingNurse, t0()).unwrap();
    assert_eq!(step.state, Invited);
    assert_eq!(step.expires_at, later(INVITATION_VALID_DAYS));
    assert_eq!(state_at(Invited, later(13), step.expires_at), Invited);
    assert_eq!(state_at(Invited, later(14), step.expires_at), Expired);
    assert_eq!(
        state_at(AwaitingApproval, later(15), step.expires_at),
        Expired
    );
    // Settled states do not expire.
    assert_eq!(state_at(Accepted, later(30), step.expires_at), Accepted);
    assert_eq!(state_at(Cancelled, later(30), step.expires_at), Cancelled);
}

#[test]
fn who_and_what_may_be_invited() {
    let now = t0();
    assert_eq!(
        check_invitation(false, &station(), TeamRole::VisitingNurse, now),
        Err(TeamError::InviterNotActive)
    );
    let stopped = Invitee {
        stopped: true,
        ..station()
    };
    assert_eq!(
        check_invitation(true, &stopped, TeamRole::VisitingNurse, now),
        Err(TeamError::OrganisationStopped)
    );
    assert_eq!(
        check_invitation(true, &station(), TeamRole::Pharmacist, now),
        Err(TeamError::RoleDoesNotFit {
            role: TeamRole::Pharmacist,
            kind: OrganisationKind::VisitingNurseStation
        })
    );
    assert_eq!(
        check_invitation(true, &station(), TeamRole::PrimaryPhysician, now),
        Err(TeamError::PrimaryPhysicianIsTheOwner)
    );
    assert_eq!(
        check_invitation(true, &station(), TeamRole::FamilyContact, now),
        Err(TeamError::ContactIsNotInvited)
    );
    let desk = Invitee {
        kind: OrganisationKind::Desk,
        ..station()
    };
    assert_eq!(
        check_invitation(true, &desk, TeamRole::Hospital, now),
        Err(TeamError::NotInvitable(OrganisationKind::Desk))
    );
}

#[test]
fn the_invitee_accepts_or_declines() {
    assert_eq!(step(Invited, Act::Accept, A::Invitee), Ok(Accepted));
    assert_eq!(step(Invited, Act::Decline, A::Invitee), Ok(Declined));
    assert_eq!(step(Invited, Act::Accept, A::InviteeAdmin), Ok(Accepted));
    for actor in [A::Inviter, A::Physician, A::Member, A::Other] {
        assert_eq!(
            step(Invited, Act::Accept, actor),
            Err(TeamError::OnlyInviteeAnswers)
        );
        assert_eq!(
            step(Invited, Act::Decline, actor),
            Err(TeamError::OnlyInviteeAnswers)
        );
    }
}

#[test]
fn accepting_an_expired_invitation_is_refused() {
    let refused = apply(Invited, Act::Accept, A::Invitee, later(14), expiry(), false);
    assert_eq!(refused, Err(TeamError::InvitationExpired));
    assert_eq!(
        TeamError::InvitationExpired.message_ja(),
        "この招待は期限が切れています"
    );
    assert_eq!(
        step(Expired, Act::Accept, A::Invitee),
        Err(TeamError::InvitationExpired)
    );
    // Nor can an expired one be declined or cancelled; it can be resent.
    let decline = apply(
        Invited,
        Act::Decline,
        A::Invitee,
        later(20),
        expiry(),
        false,
    );
    assert_eq!(decline, Err(TeamError::InvitationExpired));
    assert_eq!(
        step(Expired, Act::Cancel, A::Inviter),
        Err(TeamError::InvitationExpired)
    );
}

#[test]
fn accepting_a_cancelled_or_declined_invitation_is_refused() {
    assert_eq!(
        step(Cancelled, Act::Accept, A::Invitee),
        Err(TeamError::InvitationCancelled)
    );
    assert_eq!(
        TeamError::InvitationCancelled.message_ja(),
        "この招待は取り消されています"
    );
    assert_eq!(
        step(Declined, Act::Accept, A::Invitee),
        Err(TeamError::InvitationDeclined)
    );
}

#[test]
fn a_second_acceptance_is_refused() {
    assert_eq!(
        step(Accepted, Act::Accept, A::Invitee),
        Err(TeamError::AlreadyMember)
    );
    assert_eq!(TeamError::AlreadyMember.message_ja(), "既に参加しています");
    let waiting = apply(
        AwaitingApproval,
        Act::Accept,
        A::Invitee,
        later(1),
        expiry(),
        true,
    );
    assert_eq!(waiting, Err(TeamError::AlreadyAccepted));
}

#[test]
fn an_organisation_that_asks_for_approval_approves_acceptances() {
    let accepted = apply(Invited, Act::Accept, A::Invitee, later(1), expiry(), true).unwrap();
    assert_eq!(accepted.state, AwaitingApproval);
    assert_eq!(
        apply(
            AwaitingApproval,
            Act::Approve,
            A::Invitee,
            later(2),
            expiry(),
            true
        ),
        Err(TeamError::OnlyInviteeAdminApproves)
    );
    assert_eq!(
        apply(
            AwaitingApproval,
            Act::Approve,
            A::Physician,
            later(2),
            expiry(),
            true
        ),
        Err(TeamError::OnlyInviteeAdminApproves)
    );
    let approved = apply(
        AwaitingApproval,
        Act::Approve,
        A::InviteeAdmin,
        later(2),
        expiry(),
        true,
    );
    assert_eq!(approved.map(|s| s.state), Ok(Accepted));
    // The administrator may refuse, and may accept at once.
    assert_eq!(
        step(AwaitingApproval, Act::Decline, A::InviteeAdmin),
        Ok(Declined)
    );
    let by_admin = apply(
        Invited,
        Act::Accept,
        A::InviteeAdmin,
        later(1),
        expiry(),
        true,
    );
    assert_eq!(by_admin.map(|s| s.state), Ok(Accepted));
    // Nothing to approve before an acceptance, and approval also expires.
    assert_eq!(
        step(Invited, Act::Approve, A::InviteeAdmin),
        Err(TeamError::NotAwaitingApproval)
    );
    assert_eq!(
        apply(
            AwaitingApproval,
            Act::Approve,
            A::InviteeAdmin,
            later(14),
            expiry(),
            true
        ),
        Err(TeamError::InvitationExpired)
    );
}

#[test]
fn only_the_inviter_or_the_physician_resends_or_cancels() {
    assert_eq!(step(Invited, Act::Cancel, A::Inviter), Ok(Cancelled));
    assert_eq!(step(Invited, Act::Cancel, A::Physician), Ok(Cancelled));
    for actor in [A::Invitee, A::InviteeAdmin, A::Member, A::Other] {
        assert_eq!(
            step(Invited, Act::Cancel, actor),
            Err(TeamError::OnlyInviterResendsOrCancels)
        );
        assert_eq!(
            step(Invited, Act::Resend, actor),
            Err(TeamError::OnlyInviterResendsOrCancels)
        );
    }
    assert_eq!(
        step(Cancelled, Act::Cancel, A::Inviter),
        Err(TeamError::InvitationCancelled)
    );
    assert_eq!(
        step(Accepted, Act::Cancel, A::Inviter),
        Err(TeamError::AlreadyMember)
    );
}

#[test]
fn resending_starts_a_new_period() {
    let resent = apply(Invited, Act::Resend, A::Inviter, later(20), expiry(), false).unwrap();
    assert_eq!(resent.state, Invited);
    assert_eq!(resent.expires_at, later(20 + INVITATION_VALID_DAYS));
    let resent = apply(
        Expired,
        Act::Resend,
        A::Physician,
        later(20),
        expiry(),
        false,
    )
    .unwrap();
    assert_eq!(resent.state, Invited);
    // An acceptance given before the period ran out still waits for approval.
    let resent = apply(
        AwaitingApproval,
        Act::Resend,
        A::Inviter,
        later(20),
        expiry(),
        true,
    )
    .unwrap();
    assert_eq!(resent.state, AwaitingApproval);
    // A no or a cancellation stands: invite again instead.
    assert_eq!(
        step(Declined, Act::Resend, A::Inviter),
        Err(TeamError::InvitationDeclined)
    );
    assert_eq!(
        step(Cancelled, Act::Resend, A::Inviter),
        Err(TeamError::InvitationCancelled)
    );
    assert_eq!(
        step(Accepted, Act::Resend, A::Inviter),
        Err(TeamError::AlreadyMember)
    );
}

#[test]
fn expiry_is_recorded_only_after_its_time() {
    assert_eq!(
        step(Invited, Act::Expire, A::Other),
        Err(TeamError::NotYetExpired)
    );
    let expired = apply(Invited, Act::Expire, A::Other, later(14), expiry(), false);
    assert_eq!(expired.map(|s| s.state), Ok(Expired));
    let expired = apply(
        AwaitingApproval,
        Act::Expire,
        A::Other,
        later(15),
        expiry(),
        true,
    );
    assert_eq!(expired.map(|s| s.state), Ok(Expired));
    assert_eq!(
        step(Accepted, Act::Expire, A::Other),
        Err(TeamError::AlreadyMember)
    );
    assert_eq!(
        step(Expired, Act::Expire, A::Other),
        Err(TeamError::InvitationExpired)
    );
}
