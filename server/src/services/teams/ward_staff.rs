//! Ward staff on the timeline (issue 17; the rules are the domain's
//! `team::ward_staff`): the hospital's liaison invites named people of her
//! hospital while the office is on the team; each acts through a
//! membership of their own. Their access gets its end when the patient
//! leaves the hospital's care, and loses it again if the patient comes
//! back first (`hospital_stay`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tsunagu_domain::team::{
    MemberState, Profession, TeamError, WardInvitation, check_ward_invitation, ward_member,
};
use uuid::Uuid;

use crate::db;
use crate::db::teams::NewMember;
use crate::services::actor::{Failure, refuse};
use crate::services::audit;
use crate::services::teams::{Loaded, TeamActor, feed, refused};

/// Who the liaison invites, and for how long after the stay.
pub(crate) struct WardInvite {
    pub team: Uuid,
    pub user: Uuid,
    pub days_after_stay: u16,
}

/// The liaison invites one of her hospital's people by name.
pub(crate) async fn invite(
    conn: &mut PgConnection,
    actor: &TeamActor,
    invite: &WardInvite,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, invite.team, now).await?;
    let Some((office_row, office)) = loaded.membership_for(actor) else {
        return Err(refused(TeamError::WardInviteByOfficeOnly));
    };
    let Some((organisation, name, profession)) = db::ward_staff::account(conn, invite.user).await?
    else {
        return Err(refuse("招待する職員が見つかりません"));
    };
    let Some(profession) = Profession::from_code(&profession) else {
        return Err(refuse("招待する職員の職種が正しくありません"));
    };
    let title = check_ward_invitation(
        &WardInvitation {
            inviter: office,
            inviter_profession: actor.profession,
            same_hospital: organisation == actor.organisation,
            invitee_profession: profession,
            days_after_stay: invite.days_after_stay,
            team_consent: loaded.consent,
        },
        now,
    )
    .map_err(refused)?;
    let id = Uuid::now_v7();
    let (member, change) = ward_member(id.to_string());
    let person = format!("{title} {name}");
    let days = i16::try_from(invite.days_after_stay).unwrap_or(i16::MAX);
    let inserted = db::teams::insert_member(
        conn,
        &NewMember {
            id,
            team: loaded.team.id,
            organisation: Some(organisation),
            role: member.role.code(),
            state: member.state.code(),
            person: &person,
            family_name: "",
            relation: "",
            phone: "",
            expires_at: None,
            needs_approval: false,
            invited_by: Some(office_row.id),
            person_account: Some((invite.user, days)),
        },
    )
    .await?;
    if !inserted {
        return Err(refused(TeamError::AlreadyMember));
    }
    feed::member(
        conn,
        &loaded.team,
        id,
        Some((change.code(), &actor.label())),
    )
    .await?;
    let team = loaded.team.id.to_string();
    audit::record(conn, &actor.audit, "team-ward-invite", "team", &team).await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

/// Whom the actor may invite as ward staff now: (account, name, title) of
/// their hospital's people not on the team; empty unless the actor acts
/// for the hospital's office on it.
pub(crate) async fn invitable(
    conn: &mut PgConnection,
    loaded: &Loaded,
    actor: &TeamActor,
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, String, &'static str)>, Failure> {
    let Some((_, office)) = loaded.membership_for(actor) else {
        return Ok(Vec::new());
    };
    let on_team: std::collections::HashSet<Uuid> = loaded
        .rows
        .iter()
        .zip(&loaded.members)
        .filter(|(_, m)| m.state_at(now) == MemberState::Active)
        .filter_map(|(r, _)| r.user_id)
        .collect();
    let mut people = Vec::new();
    for (user, name, profession) in db::ward_staff::staff_of(conn, actor.organisation).await? {
        let Some(profession) = Profession::from_code(&profession) else {
            continue;
        };
        let asked = WardInvitation {
            inviter: office,
            inviter_profession: actor.profession,
            same_hospital: true,
            invitee_profession: profession,
            days_after_stay: tsunagu_domain::team::DEFAULT_DAYS_AFTER_STAY,
            team_consent: loaded.consent,
        };
        if let Ok(title) = check_ward_invitation(&asked, now)
            && !on_team.contains(&user)
            && Some(user) != actor.user
        {
            people.push((user, name, title));
        }
    }
    Ok(people)
}

/// The patient left the hospital's care at `left_at`: its ward staff on
/// the team keep access for their chosen days after it.
pub(crate) async fn stay_ended(
    conn: &mut PgConnection,
    loaded: &Loaded,
    hospital: Uuid,
    left_at: DateTime<Utc>,
) -> Result<(), Failure> {
    let changed = db::ward_staff::end_ward_access(conn, loaded.team.id, hospital, left_at).await?;
    told(conn, loaded, &changed).await
}

/// The patient is with the hospital again before its ward staff's access
/// ran out: open again until this stay ends.
pub(crate) async fn stay_resumed(
    conn: &mut PgConnection,
    loaded: &Loaded,
    hospital: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let changed = db::ward_staff::resume_ward_access(conn, loaded.team.id, hospital, now).await?;
    told(conn, loaded, &changed).await
}

/// The members as they are now, to the clinic (the end of access shows
/// beside each name; no line of history).
async fn told(conn: &mut PgConnection, loaded: &Loaded, changed: &[Uuid]) -> Result<(), Failure> {
    for member in changed {
        feed::member(conn, &loaded.team, *member, None).await?;
    }
    if !changed.is_empty() {
        feed::announce(conn, &loaded.team, loaded.team.last_seq).await?;
    }
    Ok(())
}
