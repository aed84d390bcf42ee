//! The home-care team on the server (ADRs 0020, 0023): who acts, the team
//! as the rules see it, and the changes that follow. Every action loads
//! the team with its row locked, asks the domain, stores the result, and
//! tells the owning clinic's feed and the team's open pages.

pub(crate) mod attachments;
pub(crate) mod conferences;
pub(crate) mod device;
mod feed;
pub(crate) mod hospital_stay;
pub(crate) mod members;
pub(crate) mod news;
pub(crate) mod pinned;
pub(crate) mod timeline;
pub(crate) mod views;
pub(crate) mod ward_staff;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tsunagu_domain::consent::{ConsentGiver, ConsentScope, TeamSharingConsent, team_may_share};
use tsunagu_domain::team::{
    ActorFacts, ActorRelation, FirstContactTopic, MemberState, OrganisationKind, Profession,
    TeamError, TeamMember, TeamRole, relation,
};
use uuid::Uuid;

use crate::db;
use crate::db::teams::{MemberRow, TeamRow};
use crate::services::actor::{Failure, refuse};
use crate::services::sessions::SignedIn;

/// Who acts on a team: a portal account, or a clinic's staff member
/// through the clinic's device.
#[derive(Debug, Clone)]
pub(crate) struct TeamActor {
    pub organisation: Uuid,
    pub organisation_name: String,
    pub kind: OrganisationKind,
    pub person: String,
    pub profession: Profession,
    /// The organisation's administrator (approves acceptances).
    pub is_admin: bool,
    /// In the audit log: `user:<id>` or `device:<id>`.
    pub audit: String,
    /// Whose receipts and read marks: one per person.
    pub reader: String,
    /// The portal account, which may hold a membership of its own (ward
    /// staff invited by name).
    pub user: Option<Uuid>,
}

impl TeamActor {
    pub(crate) fn portal(user: &SignedIn) -> TeamActor {
        TeamActor {
            organisation: user.organisation.id,
            organisation_name: user.organisation.name.clone(),
            kind: user.organisation.kind,
            person: user.display_name.clone(),
            profession: user.profession,
            is_admin: user.role == crate::model::Role::OrgAdmin,
            audit: user.audit_actor(),
            reader: user.audit_actor(),
            user: Some(user.user_id),
        }
    }

    /// As entries and receipts show the person: organisation, profession,
    /// name.
    pub(crate) fn label(&self) -> String {
        format!(
            "{} {} {}",
            self.organisation_name,
            self.profession.label_ja(),
            self.person
        )
    }
}

/// A team as the rules see it, loaded in one transaction with its row
/// locked.
pub(crate) struct Loaded {
    pub team: TeamRow,
    pub rows: Vec<MemberRow>,
    pub members: Vec<TeamMember>,
    /// The patient's consent lets the team share now.
    pub consent: bool,
}

impl Loaded {
    pub(crate) async fn lock(
        conn: &mut PgConnection,
        team: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Loaded, Failure> {
        let Some(team) = db::teams::lock(conn, team).await? else {
            return Err(refuse("在宅チームが見つかりません"));
        };
        Loaded::of(conn, team, now).await
    }

    pub(crate) async fn read(
        conn: &mut PgConnection,
        team: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<Loaded>, Failure> {
        let Some(team) = db::teams::get(conn, team).await? else {
            return Ok(None);
        };
        Ok(Some(Loaded::of(conn, team, now).await?))
    }

    async fn of(
        conn: &mut PgConnection,
        team: TeamRow,
        now: DateTime<Utc>,
    ) -> Result<Loaded, Failure> {
        let rows = db::teams::members(conn, team.id).await?;
        let members = rows.iter().map(domain_member).collect::<Result<_, _>>()?;
        let consent = team_consent(conn, team.patient_id, now).await?;
        Ok(Loaded {
            team,
            rows,
            members,
            consent,
        })
    }

    /// The organisation's own membership (the current one, if it was
    /// invited more than once); not its people's invited by name.
    pub(crate) fn membership_of(&self, organisation: Uuid) -> Option<(&MemberRow, &TeamMember)> {
        self.current(|r| r.organisation_id == Some(organisation) && r.user_id.is_none())
    }

    /// The membership the actor acts through: their own, if they were
    /// invited by name (even after it ended: they see why), else their
    /// organisation's.
    pub(crate) fn membership_for(&self, actor: &TeamActor) -> Option<(&MemberRow, &TeamMember)> {
        actor
            .user
            .and_then(|user| self.current(|r| r.user_id == Some(user)))
            .or_else(|| self.membership_of(actor.organisation))
    }

    /// The live row among those `of`, else the latest.
    fn current(&self, of: impl Fn(&MemberRow) -> bool) -> Option<(&MemberRow, &TeamMember)> {
        let live = |s: &str| matches!(s, "invited" | "awaiting_approval" | "active");
        let index = self
            .rows
            .iter()
            .position(|r| of(r) && live(&r.state))
            .or_else(|| self.rows.iter().rposition(&of))?;
        Some((&self.rows[index], &self.members[index]))
    }

    pub(crate) fn member(&self, id: Uuid) -> Option<(&MemberRow, &TeamMember)> {
        let index = self.rows.iter().position(|r| r.id == id)?;
        Some((&self.rows[index], &self.members[index]))
    }

    pub(crate) fn owns(&self, actor: &TeamActor) -> bool {
        self.team.clinic_id == actor.organisation
    }

    /// Whether the actor's membership is active now.
    pub(crate) fn is_active(&self, actor: &TeamActor, now: DateTime<Utc>) -> bool {
        self.membership_for(actor)
            .is_some_and(|(_, m)| m.is_active_at(now))
    }

    /// The actor's relation to `subject` (an invitation or membership).
    pub(crate) fn relation(
        &self,
        actor: &TeamActor,
        subject: &MemberRow,
        now: DateTime<Utc>,
    ) -> ActorRelation {
        let actor_member = self.membership_for(actor).map(|(r, _)| r.id);
        // A person's own membership is theirs alone, not their colleagues'.
        let is_subject = match subject.user_id {
            Some(user) => actor.user == Some(user),
            None => subject.organisation_id == Some(actor.organisation),
        };
        relation(ActorFacts {
            is_subject,
            is_admin: actor.is_admin,
            owns_team: self.owns(actor),
            sent_invitation: actor_member.is_some() && subject.invited_by == actor_member,
            is_active_member: self.is_active(actor, now),
        })
    }
}

/// A stored member as the domain's rules take it.
pub(crate) fn domain_member(row: &MemberRow) -> Result<TeamMember, Failure> {
    let (Some(role), Some(state)) = (
        TeamRole::from_code(&row.role),
        MemberState::from_code(&row.state),
    ) else {
        return Err(Failure::Database(sqlx::Error::Decode(
            "a team member with an unknown role or state".into(),
        )));
    };
    Ok(TeamMember {
        id: row.id.to_string(),
        role,
        state,
        expires_at: row.expires_at,
        needs_approval: row.needs_approval,
        access_until: row.access_until,
        personal: row.user_id.is_some(),
        first_contact_for: row
            .first_contact_for
            .iter()
            .filter_map(|t| FirstContactTopic::from_code(t))
            .collect(),
    })
}

/// Whether the patient's consent, as last recorded, lets the team share
/// today (the domain's `team_may_share`).
pub(crate) async fn team_consent(
    conn: &mut PgConnection,
    patient: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, Failure> {
    let Some(row) = db::teams::latest_consent(conn, patient).await? else {
        return Ok(false);
    };
    let scopes = [
        (row.desk, ConsentScope::Desk),
        (row.destination_hospital, ConsentScope::Hospital),
        (row.team, ConsentScope::Team),
        (row.preregistration, ConsentScope::Preregistration),
    ]
    .into_iter()
    .filter_map(|(on, scope)| on.then_some(scope))
    .collect();
    let given_by = match (row.family_name, row.family_relation) {
        (Some(name), Some(relation)) => ConsentGiver::Family { name, relation },
        _ => ConsentGiver::Patient,
    };
    let consent = TeamSharingConsent {
        obtained_on: row.obtained_on,
        obtained_by: row.obtained_by,
        given_by,
        scopes,
        withdrawn_on: row.withdrawn_on,
        preregistered_with: row.preregistered_with.iter().map(Uuid::to_string).collect(),
    };
    Ok(team_may_share(Some(&consent), now.date_naive()))
}

/// A rule said no: the person sees why (no patient data in it).
pub(crate) fn refused(e: TeamError) -> Failure {
    refuse(&e.message_ja())
}
