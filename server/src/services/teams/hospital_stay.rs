//! The hospital's liaison office on the patient's team while the patient
//! is with that hospital (issue 17; the rule is the domain's
//! `team::office_stays`). It joins when the hospital is handed the
//! patient's referral (addressed, assigned, claimed, admitted without a
//! letter, or transferred to it), under the patient's consent to team
//! sharing, and leaves when an event takes the patient out of its care.
//! Both are told to the clinic and kept in the team's history like any
//! other membership change. Only memberships made this way end so: a
//! hospital the physician invited stays until it leaves or is removed.

use chrono::Utc;
use sqlx::PgConnection;
use tsunagu_domain::replay;
use tsunagu_domain::team::{HOSPITAL_OFFICE, MemberState, TeamChange, TeamRole, office_on_team};
use uuid::Uuid;

use crate::db;
use crate::db::teams::NewMember;
use crate::services::actor::Failure;
use crate::services::audit;
use crate::services::referrals::events::load_history;
use crate::services::teams::{Loaded, feed, ward_staff};

/// Who the change is by, as the team's history and the audit log show it.
#[derive(Clone, Copy)]
pub(crate) struct StayActor<'a> {
    pub label: &'a str,
    pub audit: &'a str,
}

/// The hospital's office joins the team of the referral's patient, if
/// there is a team, its consent lets it share, and the hospital is not
/// already on it (or invited); ward staff whose access was running out
/// after an earlier stay keep it for this one.
pub(crate) async fn office_joins(
    conn: &mut PgConnection,
    referral: Uuid,
    hospital: Uuid,
    by: StayActor<'_>,
) -> Result<(), Failure> {
    let Some(loaded) = team_of(conn, referral).await? else {
        return Ok(());
    };
    ward_staff::stay_resumed(conn, &loaded, hospital, Utc::now()).await?;
    let on_team = loaded.membership_of(hospital).is_some_and(|(_, m)| {
        matches!(
            m.state,
            MemberState::Invited | MemberState::AwaitingApproval | MemberState::Active
        )
    });
    if !loaded.consent || on_team {
        return Ok(());
    }
    let member = Uuid::now_v7();
    let inserted = db::teams::insert_member(
        conn,
        &NewMember {
            id: member,
            team: loaded.team.id,
            organisation: Some(hospital),
            role: TeamRole::Hospital.code(),
            state: MemberState::Active.code(),
            person: HOSPITAL_OFFICE,
            family_name: "",
            relation: "",
            phone: "",
            expires_at: None,
            needs_approval: false,
            // Nobody invited it: the hospital's care of the patient did.
            invited_by: None,
            person_account: None,
        },
    )
    .await?;
    if inserted {
        told(conn, &loaded, member, TeamChange::Joined, by).await?;
    }
    Ok(())
}

/// A team started while a hospital has the patient in its care has that
/// hospital's office on it from the start.
pub(crate) async fn offices_of_current_stays_join(
    conn: &mut PgConnection,
    patient: Uuid,
    by: StayActor<'_>,
) -> Result<(), Failure> {
    for (referral, hospital) in db::referrals::held_of_patient(conn, patient).await? {
        let in_care = replay(&load_history(conn, referral).await?)
            .as_ref()
            .is_ok_and(office_on_team);
        if in_care {
            office_joins(conn, referral, hospital, by).await?;
        }
    }
    Ok(())
}

/// The office of `hospital` leaves the team of the referral's patient,
/// if it joined for the stay; the ward staff it invited keep access for
/// their days after the stay.
pub(crate) async fn office_leaves(
    conn: &mut PgConnection,
    referral: Uuid,
    hospital: Uuid,
    by: StayActor<'_>,
) -> Result<(), Failure> {
    let Some(loaded) = team_of(conn, referral).await? else {
        return Ok(());
    };
    ward_staff::stay_ended(conn, &loaded, hospital, Utc::now()).await?;
    let joined_for_stay = loaded.rows.iter().zip(&loaded.members).find(|(row, m)| {
        row.organisation_id == Some(hospital)
            && m.role == TeamRole::Hospital
            && m.state == MemberState::Active
            && row.invited_by.is_none()
    });
    let Some((row, _)) = joined_for_stay else {
        return Ok(());
    };
    db::teams::set_member_state(conn, row.id, MemberState::Left.code(), None).await?;
    told(conn, &loaded, row.id, TeamChange::Left, by).await
}

/// The patient's team, locked (after the referral, as every append locks
/// them).
async fn team_of(conn: &mut PgConnection, referral: Uuid) -> Result<Option<Loaded>, Failure> {
    let Some(patient) = db::referrals::patient_of(conn, referral).await? else {
        return Ok(None);
    };
    let Some(team) = db::teams::of_patient(conn, patient).await? else {
        return Ok(None);
    };
    Ok(Some(Loaded::lock(conn, team, Utc::now()).await?))
}

/// The change in the team's history and the clinic's feed, audited.
async fn told(
    conn: &mut PgConnection,
    loaded: &Loaded,
    member: Uuid,
    change: TeamChange,
    by: StayActor<'_>,
) -> Result<(), Failure> {
    let code = change.code();
    feed::member(conn, &loaded.team, member, Some((code, by.label))).await?;
    let team = loaded.team.id.to_string();
    audit::record(
        conn,
        by.audit,
        &format!("team-office-{code}"),
        "team",
        &team,
    )
    .await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}
