//! Who is on a team: the owning clinic starts it; members invite; the
//! invited organisation answers (and its administrator approves where it
//! asks to); the inviter resends or cancels; a member leaves; the
//! physician removes, adds family contacts and names first contacts.
//! Every step is the domain's, kept in the team's history and fed.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::team::{
    FamilyContactDraft, FirstContactTopic, InvitationAction, Invitee, MemberAction, MemberState,
    OrganisationKind, TeamChange, TeamError, TeamRole, add_family_contact, apply,
    assign_first_contact, check_invitation, start_team,
};
use uuid::Uuid;

use crate::db;
use crate::db::teams::NewMember;
use crate::services::actor::{Failure, refuse};
use crate::services::audit;
use crate::services::teams::hospital_stay::{StayActor, offices_of_current_stays_join};
use crate::services::teams::{Loaded, TeamActor, feed, refused};

/// The clinic that owns the patient starts its team, as its 主治医.
pub(crate) async fn start(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    patient: Uuid,
    owner_member: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    if actor.kind != OrganisationKind::Clinic
        || db::referrals::patient_owner(conn, patient).await? != Some(actor.organisation)
    {
        return Err(refuse("患者を登録した診療所だけが在宅チームを作れます"));
    }
    if !super::team_consent(conn, patient, now).await? {
        return Err(refused(TeamError::NoTeamConsent));
    }
    match db::teams::insert(conn, team, patient, actor.organisation).await? {
        Ok(_) => {}
        // Sent before and its answer lost: the same team again.
        Err(existing) if existing == team => return Ok(()),
        Err(_) => return Err(refuse("この患者の在宅チームは既にあります")),
    }
    let (member, change) = start_team(owner_member.to_string());
    let inserted = db::teams::insert_member(
        conn,
        &NewMember {
            id: owner_member,
            team,
            organisation: Some(actor.organisation),
            role: member.role.code(),
            state: member.state.code(),
            person: "",
            family_name: "",
            relation: "",
            phone: "",
            expires_at: None,
            needs_approval: false,
            invited_by: None,
            person_account: None,
        },
    )
    .await?;
    if !inserted {
        return Err(refuse("同じ記録が既にあります"));
    }
    let Some(row) = db::teams::get(conn, team).await? else {
        return Err(refuse("在宅チームが見つかりません"));
    };
    feed::started(conn, &row).await?;
    feed::member(
        conn,
        &row,
        owner_member,
        Some((change.code(), &actor.label())),
    )
    .await?;
    audit::record(conn, &actor.audit, "team-start", "team", &team.to_string()).await?;
    feed::announce(conn, &row, row.last_seq).await?;
    let label = actor.label();
    let by = StayActor {
        label: &label,
        audit: &actor.audit,
    };
    offices_of_current_stays_join(conn, patient, by).await
}

/// An active member invites a registered organisation with a role.
pub(crate) async fn invite(
    conn: &mut PgConnection,
    actor: &TeamActor,
    invitation: Invitation<'_>,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, invitation.team, now).await?;
    if loaded.member(invitation.member).is_some() {
        // A repeated push of the same invitation.
        return Ok(());
    }
    let Some((inviter, inviter_member)) = loaded.membership_for(actor) else {
        return Err(refused(TeamError::InviterNotActive));
    };
    let (inviter, may_invite) = (inviter.id, inviter_member.may_invite_at(now));
    let Some(role) = TeamRole::from_code(invitation.role) else {
        return Err(refuse("チームでの役割の値が正しくありません"));
    };
    let Some(invitee) = db::teams::invitee(conn, invitation.organisation).await? else {
        return Err(refuse("地域連携サーバーに登録されていない機関です"));
    };
    let Some(kind) = OrganisationKind::from_code(&invitee.kind) else {
        return Err(refuse("地域連携サーバーに登録されていない機関です"));
    };
    if invitation.person.chars().count() > 100 {
        return Err(refuse("招待する方のお名前は100文字までです"));
    }
    let step = check_invitation(
        may_invite && loaded.consent,
        &Invitee {
            kind,
            stopped: invitee.stopped,
            needs_approval: invitee.requires_approval,
        },
        role,
        now,
    )
    .map_err(refused)?;
    if loaded
        .membership_of(invitation.organisation)
        .is_some_and(|(r, _)| {
            matches!(r.state.as_str(), "invited" | "awaiting_approval" | "active")
        })
    {
        return Err(refused(TeamError::AlreadyMember));
    }
    let inserted = db::teams::insert_member(
        conn,
        &NewMember {
            id: invitation.member,
            team: loaded.team.id,
            organisation: Some(invitation.organisation),
            role: role.code(),
            state: "invited",
            person: invitation.person.trim(),
            family_name: "",
            relation: "",
            phone: "",
            expires_at: Some(step.expires_at),
            needs_approval: invitee.requires_approval,
            invited_by: Some(inviter),
            person_account: None,
        },
    )
    .await?;
    if !inserted {
        return Err(refused(TeamError::AlreadyMember));
    }
    let change = TeamChange::Invited.code();
    feed::member(
        conn,
        &loaded.team,
        invitation.member,
        Some((change, &actor.label())),
    )
    .await?;
    let id = loaded.team.id.to_string();
    audit::record(conn, &actor.audit, "team-invite", "team", &id).await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

pub(crate) struct Invitation<'a> {
    pub team: Uuid,
    pub member: Uuid,
    pub organisation: Uuid,
    pub role: &'a str,
    pub person: &'a str,
}

/// The actions a member row takes, by their wire and form codes.
pub(crate) fn action_of(code: &str) -> Option<MemberAction> {
    use InvitationAction as I;
    Some(match code {
        "accept" => MemberAction::Invitation(I::Accept),
        "decline" => MemberAction::Invitation(I::Decline),
        "approve" => MemberAction::Invitation(I::Approve),
        "resend" => MemberAction::Invitation(I::Resend),
        "cancel" => MemberAction::Invitation(I::Cancel),
        "leave" => MemberAction::Leave,
        "remove" => MemberAction::Remove,
        _ => return None,
    })
}

/// One step of a member's machine, by whoever the actor is to it.
pub(crate) async fn act(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    member: Uuid,
    action: MemberAction,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    let Some((row, current)) = loaded.member(member) else {
        return Err(refuse("チームのメンバーが見つかりません"));
    };
    let relation = loaded.relation(actor, row, now);
    let applied = apply(current, action, relation, now).map_err(refused)?;
    // Answering an invitation opens the patient's record to the
    // organisation: only under the patient's consent to team sharing.
    if matches!(
        action,
        MemberAction::Invitation(InvitationAction::Accept | InvitationAction::Approve)
    ) && !loaded.consent
    {
        return Err(refused(TeamError::NoTeamConsent));
    }
    db::teams::set_member_state(
        conn,
        member,
        applied.member.state.code(),
        applied.member.expires_at,
    )
    .await?;
    let change = applied.change.code();
    feed::member(conn, &loaded.team, member, Some((change, &actor.label()))).await?;
    let id = team.to_string();
    audit::record(conn, &actor.audit, &format!("team-{change}"), "team", &id).await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

/// The physician lists a family member as a contact (no access).
pub(crate) async fn add_family(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    member: Uuid,
    draft: &FamilyContactDraft,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    if loaded.member(member).is_some() {
        return Ok(());
    }
    if !loaded.owns(actor) {
        return Err(refuse("家族の連絡先は主治医の診療所だけが登録できます"));
    }
    let (m, contact, change) = add_family_contact(member.to_string(), draft).map_err(|errors| {
        let first = errors.into_iter().next().map(|(_, m)| m);
        refuse(&first.unwrap_or_else(|| "家族の連絡先が正しくありません".into()))
    })?;
    db::teams::insert_member(
        conn,
        &NewMember {
            id: member,
            team,
            organisation: None,
            role: m.role.code(),
            state: m.state.code(),
            person: "",
            family_name: &contact.name,
            relation: &contact.relation,
            phone: &contact.phone,
            expires_at: None,
            needs_approval: false,
            invited_by: None,
            person_account: None,
        },
    )
    .await?;
    feed::member(
        conn,
        &loaded.team,
        member,
        Some((change.code(), &actor.label())),
    )
    .await?;
    audit::record(
        conn,
        &actor.audit,
        "team-family-contact",
        "team",
        &team.to_string(),
    )
    .await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

/// The physician names the member who answers one kind of question first.
pub(crate) async fn set_first_contact(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    member: Uuid,
    topic: &str,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let Some(topic) = FirstContactTopic::from_code(topic) else {
        return Err(refuse("連絡の種類の値が正しくありません"));
    };
    let loaded = Loaded::lock(conn, team, now).await?;
    let mut members = loaded.members.clone();
    assign_first_contact(
        &mut members,
        &member.to_string(),
        topic,
        loaded.owns(actor),
        now,
    )
    .map_err(refused)?;
    for (row, after) in loaded.rows.iter().zip(&members) {
        let before: Vec<_> = row.first_contact_for.clone();
        let now_topics: Vec<String> = after
            .first_contact_for
            .iter()
            .map(|t| t.code().to_string())
            .collect();
        if before != now_topics {
            db::teams::set_first_contacts(conn, row.id, &now_topics).await?;
            let change =
                (row.id == member).then(|| (TeamChange::FirstContactSet.code(), actor.label()));
            let change = change.as_ref().map(|(c, a)| (*c, a.as_str()));
            feed::member(conn, &loaded.team, row.id, change).await?;
        }
    }
    audit::record(
        conn,
        &actor.audit,
        "team-first-contact",
        "team",
        &team.to_string(),
    )
    .await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

/// Who the history names for an invitation that ran out by itself.
const EXPIRY_ACTOR: &str = "つなぐ（自動）";

/// Invitations left unanswered past their time. The rules already read
/// them as expired; this keeps the record: the state stored, a line in
/// the team's history and the clinic's feed, the team's pages told. Each
/// team in its own transaction, checked again under its lock (an answer
/// may have come in the meantime). The number expired.
pub(crate) async fn expire_due(pool: &PgPool, now: DateTime<Utc>) -> Result<u64, Failure> {
    let due = db::housekeeping::invitations_due(pool, now).await?;
    let mut expired = 0;
    for (team, member) in due {
        let mut tx = pool.begin().await?;
        let loaded = Loaded::lock(&mut tx, team, now).await?;
        let Some((_, current)) = loaded.member(member) else {
            continue;
        };
        if current.state == MemberState::Expired || current.state_at(now) != MemberState::Expired {
            continue;
        }
        db::teams::set_member_state(
            &mut tx,
            member,
            MemberState::Expired.code(),
            current.expires_at,
        )
        .await?;
        let change = (TeamChange::Expired.code(), EXPIRY_ACTOR);
        feed::member(&mut tx, &loaded.team, member, Some(change)).await?;
        feed::announce(&mut tx, &loaded.team, loaded.team.last_seq).await?;
        tx.commit().await?;
        expired += 1;
    }
    Ok(expired)
}
