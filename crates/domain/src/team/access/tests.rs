use chrono::Duration;

use super::*;
use crate::team::TeamRole;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn m(role: TeamRole, state: MemberState) -> TeamMember {
    TeamMember {
        id: role.code().into(),
        role,
        state,
        expires_at: Some(now() + Duration::days(3)),
        needs_approval: false,
        access_until: None,
        personal: false,
        first_contact_for: Vec::new(),
    }
}

fn nurse() -> TeamMember {
    m(TeamRole::VisitingNurse, MemberState::Active)
}

fn post(
    member: &TeamMember,
    profession: Profession,
    kind: EntryKind,
    vitals: bool,
) -> Result<(), TeamError> {
    check_may_post(member, profession, kind, vitals, true, now())
}

#[test]
fn an_active_member_posts_under_consent() {
    assert_eq!(
        post(&nurse(), Profession::Nurse, EntryKind::VisitReport, true),
        Ok(())
    );
    assert_eq!(
        post(&nurse(), Profession::Nurse, EntryKind::Urgent, false),
        Ok(())
    );
    assert_eq!(
        check_may_read(&nurse(), Profession::Nurse, true, now()),
        Ok(())
    );
}

#[test]
fn a_removed_member_cannot_post() {
    let removed = m(TeamRole::VisitingNurse, MemberState::Removed);
    assert_eq!(
        post(&removed, Profession::Nurse, EntryKind::Note, false),
        Err(TeamError::LeftCannotPost)
    );
    assert_eq!(
        TeamError::LeftCannotPost.message_ja(),
        "チームから外れたため投稿できません"
    );
    let left = m(TeamRole::VisitingNurse, MemberState::Left);
    assert_eq!(
        post(&left, Profession::Nurse, EntryKind::Note, false),
        Err(TeamError::LeftCannotPost)
    );
    assert_eq!(
        check_may_read(&left, Profession::Nurse, true, now()),
        Err(TeamError::AlreadyLeft)
    );
    let invited = m(TeamRole::VisitingNurse, MemberState::Invited);
    assert_eq!(
        post(&invited, Profession::Nurse, EntryKind::Note, false),
        Err(TeamError::NotYetMemberCannotPost)
    );
    assert_eq!(
        check_may_read(&invited, Profession::Nurse, true, now()),
        Err(TeamError::NotYetJoined)
    );
}

#[test]
fn withdrawn_consent_closes_the_team_but_the_owner_keeps_its_record() {
    assert_eq!(
        check_may_post(
            &nurse(),
            Profession::Nurse,
            EntryKind::Note,
            false,
            false,
            now()
        ),
        Err(TeamError::NoTeamConsent)
    );
    assert_eq!(
        check_may_read(&nurse(), Profession::Nurse, false, now()),
        Err(TeamError::NoTeamConsent)
    );
    let owner = m(TeamRole::PrimaryPhysician, MemberState::Active);
    assert_eq!(
        check_may_read(&owner, Profession::Physician, false, now()),
        Ok(())
    );
    assert_eq!(
        check_may_post(
            &owner,
            Profession::Physician,
            EntryKind::Note,
            false,
            false,
            now()
        ),
        Err(TeamError::NoTeamConsent)
    );
}

#[test]
fn professions_limit_what_is_posted_and_read() {
    assert_eq!(
        post(&nurse(), Profession::Clerk, EntryKind::VisitReport, false),
        Err(TeamError::ProfessionMayNotPost {
            profession: Profession::Clerk,
            kind: EntryKind::VisitReport
        })
    );
    assert_eq!(
        TeamError::ProfessionMayNotPost {
            profession: Profession::Clerk,
            kind: EntryKind::VisitReport
        }
        .message_ja(),
        "事務の方は「訪問報告」を投稿できません"
    );
    assert_eq!(
        check_may_read(&nurse(), Profession::Clerk, true, now()),
        Err(TeamError::ProfessionMayNotRead(Profession::Clerk))
    );
    let cm = m(TeamRole::CareManager, MemberState::Active);
    assert_eq!(
        post(&cm, Profession::CareManager, EntryKind::VisitReport, false),
        Ok(())
    );
    assert_eq!(
        post(&cm, Profession::CareManager, EntryKind::VisitReport, true),
        Err(TeamError::ProfessionMayNotRecordVitals(
            Profession::CareManager
        ))
    );
    assert_eq!(
        post(&nurse(), Profession::Nurse, EntryKind::Note, true),
        Err(TeamError::VitalsOnlyInVisitReports)
    );
}

#[test]
fn nobody_posts_referral_events_and_family_contacts_use_nothing() {
    assert_eq!(
        post(&nurse(), Profession::Nurse, EntryKind::ReferralEvent, false),
        Err(TeamError::SystemEntriesAreAutomatic)
    );
    let family = m(TeamRole::FamilyContact, MemberState::Active);
    assert_eq!(
        post(&family, Profession::Nurse, EntryKind::Note, false),
        Err(TeamError::ContactOnlyHasNoAccess)
    );
    assert_eq!(
        check_may_read(&family, Profession::Nurse, true, now()),
        Err(TeamError::ContactOnlyHasNoAccess)
    );
}

#[test]
fn ward_staff_stop_at_the_end_of_their_period() {
    let mut ward = m(TeamRole::Hospital, MemberState::Active);
    ward.access_until = Some(now());
    assert_eq!(
        check_may_read(&ward, Profession::Nurse, true, now()),
        Err(TeamError::AccessEnded)
    );
    assert_eq!(
        post(&ward, Profession::Nurse, EntryKind::Note, false),
        Err(TeamError::AccessEnded)
    );
}

#[test]
fn urgent_posts_reach_every_active_member_but_the_author() {
    let members = vec![
        m(TeamRole::PrimaryPhysician, MemberState::Active),
        nurse(),
        m(TeamRole::Pharmacist, MemberState::Active),
        m(TeamRole::FamilyContact, MemberState::Active),
        m(TeamRole::Care, MemberState::Left),
        m(TeamRole::Dental, MemberState::Invited),
    ];
    let ids: Vec<&str> = audience(&members, "visiting_nurse", now())
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(ids, vec!["primary_physician", "pharmacist"]);
}
