use chrono::Duration;

use super::*;
use ActorRelation as A;
use InvitationAction as I;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn day(n: i64) -> DateTime<Utc> {
    t0() + Duration::days(n)
}

fn member(role: TeamRole, state: MemberState) -> TeamMember {
    TeamMember {
        id: "m1".into(),
        role,
        state,
        expires_at: Some(invitation::invitation_expires_at(t0())),
        needs_approval: false,
        access_until: None,
        personal: false,
        first_contact_for: Vec::new(),
    }
}

fn nurse(state: MemberState) -> TeamMember {
    member(TeamRole::VisitingNurse, state)
}

fn run(
    m: &TeamMember,
    action: MemberAction,
    actor: ActorRelation,
) -> Result<MemberState, TeamError> {
    apply(m, action, actor, day(1)).map(|a| a.member.state)
}

#[test]
fn states_round_trip_and_match_the_invitation() {
    for s in MemberState::ALL {
        assert_eq!(MemberState::from_code(s.code()), Some(s));
        if s != MemberState::Left && s != MemberState::Removed {
            assert_eq!(MemberState::from_invitation(s.invitation_state()), s);
        }
    }
}

#[test]
fn accepting_makes_an_active_member_and_says_so_in_the_history() {
    let applied = apply(
        &nurse(MemberState::Invited),
        MemberAction::Invitation(I::Accept),
        A::Invitee,
        day(1),
    )
    .unwrap();
    assert_eq!(applied.member.state, MemberState::Active);
    assert_eq!(applied.change, TeamChange::Joined);
    let mut asks = nurse(MemberState::Invited);
    asks.needs_approval = true;
    let applied = apply(
        &asks,
        MemberAction::Invitation(I::Accept),
        A::Invitee,
        day(1),
    )
    .unwrap();
    assert_eq!(applied.member.state, MemberState::AwaitingApproval);
    assert_eq!(applied.change, TeamChange::AcceptedAwaitingApproval);
    let approved = apply(
        &applied.member,
        MemberAction::Invitation(I::Approve),
        A::InviteeAdmin,
        day(2),
    )
    .unwrap();
    assert_eq!(approved.member.state, MemberState::Active);
}

#[test]
fn an_expired_invitation_is_seen_as_expired_and_cannot_be_accepted() {
    let m = nurse(MemberState::Invited);
    assert_eq!(m.state_at(day(14)), MemberState::Expired);
    assert!(!m.is_active_at(day(14)));
    assert_eq!(
        apply(&m, MemberAction::Invitation(I::Accept), A::Invitee, day(14)),
        Err(TeamError::InvitationExpired)
    );
    let resent = apply(&m, MemberAction::Invitation(I::Resend), A::Inviter, day(20)).unwrap();
    assert_eq!(resent.member.state, MemberState::Invited);
    assert_eq!(resent.member.expires_at, Some(day(34)));
    assert_eq!(resent.change, TeamChange::Resent);
}

#[test]
fn a_pending_invitation_without_a_time_counts_as_run_out() {
    let mut m = nurse(MemberState::Invited);
    m.expires_at = None;
    assert_eq!(m.state_at(t0()), MemberState::Expired);
}

#[test]
fn a_second_acceptance_is_refused() {
    assert_eq!(
        run(
            &nurse(MemberState::Active),
            MemberAction::Invitation(I::Accept),
            A::Invitee
        ),
        Err(TeamError::AlreadyMember)
    );
}

#[test]
fn cancelling_by_someone_other_than_the_inviter_is_refused() {
    for actor in [A::Member, A::Invitee, A::Other] {
        assert_eq!(
            run(
                &nurse(MemberState::Invited),
                MemberAction::Invitation(I::Cancel),
                actor
            ),
            Err(TeamError::OnlyInviterResendsOrCancels)
        );
    }
    assert_eq!(
        run(
            &nurse(MemberState::Invited),
            MemberAction::Invitation(I::Cancel),
            A::Inviter
        ),
        Ok(MemberState::Cancelled)
    );
}

#[test]
fn a_member_leaves_once() {
    let left = apply(
        &nurse(MemberState::Active),
        MemberAction::Leave,
        A::Invitee,
        day(1),
    )
    .unwrap();
    assert_eq!(left.member.state, MemberState::Left);
    assert_eq!(left.change, TeamChange::Left);
    assert_eq!(
        run(&left.member, MemberAction::Leave, A::Invitee),
        Err(TeamError::AlreadyLeft)
    );
    assert_eq!(
        run(
            &nurse(MemberState::Active),
            MemberAction::Leave,
            A::Physician
        ),
        Err(TeamError::OnlyMemberLeaves)
    );
    assert_eq!(
        run(
            &nurse(MemberState::Invited),
            MemberAction::Leave,
            A::Invitee
        ),
        Err(TeamError::NotYetJoined)
    );
    assert_eq!(
        run(
            &nurse(MemberState::Declined),
            MemberAction::Leave,
            A::Invitee
        ),
        Err(TeamError::NeverJoined)
    );
    // Nor does a member who left accept the old invitation again.
    assert_eq!(
        run(
            &left.member,
            MemberAction::Invitation(I::Accept),
            A::Invitee
        ),
        Err(TeamError::AlreadyLeft)
    );
}

#[test]
fn only_the_physician_removes_and_the_owner_stays() {
    assert_eq!(
        run(
            &nurse(MemberState::Active),
            MemberAction::Remove,
            A::Physician
        ),
        Ok(MemberState::Removed)
    );
    for actor in [A::Inviter, A::Member, A::Invitee, A::InviteeAdmin, A::Other] {
        assert_eq!(
            run(&nurse(MemberState::Active), MemberAction::Remove, actor),
            Err(TeamError::OnlyPhysicianRemoves)
        );
    }
    assert_eq!(
        run(
            &nurse(MemberState::Removed),
            MemberAction::Remove,
            A::Physician
        ),
        Err(TeamError::AlreadyRemoved)
    );
    let owner = member(TeamRole::PrimaryPhysician, MemberState::Active);
    assert_eq!(
        run(&owner, MemberAction::Leave, A::Invitee),
        Err(TeamError::OwnerStays)
    );
    assert_eq!(
        run(&owner, MemberAction::Remove, A::Physician),
        Err(TeamError::OwnerStays)
    );
    // A family contact is taken off the same way.
    let contact = member(TeamRole::FamilyContact, MemberState::Active);
    assert_eq!(
        run(&contact, MemberAction::Remove, A::Physician),
        Ok(MemberState::Removed)
    );
}

#[test]
fn ward_staff_lose_access_when_their_period_ends() {
    let mut ward = member(TeamRole::Hospital, MemberState::Active);
    ward.access_until = Some(day(10));
    assert!(ward.is_active_at(day(9)));
    assert!(!ward.is_active_at(day(10)));
}

#[test]
fn the_office_that_invited_a_ward_member_ends_its_access_early() {
    let mut ward = member(TeamRole::Hospital, MemberState::Active);
    ward.personal = true;
    assert_eq!(
        run(&ward, MemberAction::Remove, A::Inviter),
        Ok(MemberState::Removed)
    );
    assert_eq!(
        run(&ward, MemberAction::Remove, A::Physician),
        Ok(MemberState::Removed)
    );
    assert_eq!(
        run(&ward, MemberAction::Leave, A::Invitee),
        Ok(MemberState::Left)
    );
    assert_eq!(
        run(&ward, MemberAction::Remove, A::Member),
        Err(TeamError::OnlyPhysicianRemoves)
    );
}

#[test]
fn a_person_invited_by_name_does_not_invite_organisations() {
    let mut ward = member(TeamRole::Hospital, MemberState::Active);
    assert!(ward.may_invite_at(day(1)));
    ward.personal = true;
    assert!(!ward.may_invite_at(day(1)));
}
