//! Building the team: starting it, inviting organisations from the
//! directory, resending, cancelling and removing, the family's contact
//! and the first contact per kind of question.

use tsunagu_domain::Capability;
use tsunagu_domain::team::{
    ActorRelation, FamilyContactDraft, FirstContactTopic, InvitationAction, Invitee, MemberAction,
    MemberState, OrganisationKind, TeamError, TeamRole, add_family_contact, apply,
    assign_first_contact, check_invitation, start_team,
};
use tsunagu_protocol::TeamOp;
use tsunagu_store::{MemberRecord, TeamRecord, TeamWrite};

use super::view::PatientTeam;
use super::{field_errors, team_error};
use crate::App;
use crate::error::AppError;
use crate::patients::parse_id;

/// 「チームに招待」: an organisation of the directory, the role it takes,
/// and optionally the person in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteInput {
    pub organisation_id: String,
    /// The domain's `TeamRole` code.
    pub role: String,
    pub person: String,
}

/// The longest person's name on an invitation.
const PERSON_MAX_CHARS: usize = 50;

impl App {
    /// 「チームを作る」: the clinic starts the patient's team as its 主治医.
    /// Only under a consent naming the team.
    pub async fn start_team(&self, patient_id: &str) -> Result<PatientTeam, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let patient = parse_id(patient_id)?;
        self.store.patient(patient).await?;
        if !self.team_may_share(patient).await? {
            return Err(team_error(TeamError::NoTeamConsent));
        }
        let now = self.clock.now();
        let team_id = tsunagu_domain::new_id();
        let owner_id = tsunagu_domain::new_id();
        let (owner, _started) = start_team(owner_id.to_string());
        let clinic = self.store.clinic_profile().await?;
        let device = self.store.sync_device().await?;
        let owner = MemberRecord {
            id: owner_id,
            team_id,
            organisation_id: device.as_ref().map(|d| d.organisation_id),
            name: clinic
                .as_ref()
                .map(|c| c.name.clone())
                .or_else(|| device.as_ref().map(|d| d.organisation_name.clone()))
                .unwrap_or_default(),
            kind: Some(OrganisationKind::Clinic),
            role: owner.role,
            state: owner.state,
            person: clinic
                .as_ref()
                .map(|c| c.doctor_name.clone())
                .unwrap_or_default(),
            phone: clinic.as_ref().map(|c| c.phone.clone()).unwrap_or_default(),
            fax: clinic.as_ref().map(|c| c.fax.clone()).unwrap_or_default(),
            relation: String::new(),
            expires_at: None,
            needs_approval: false,
            access_until: None,
            first_contact_for: Vec::new(),
            invited_by: None,
        };
        let op = self.team_operation(
            true,
            team_id,
            &TeamOp::Started {
                team_id,
                patient_id: patient,
                owner_member_id: owner_id,
            },
        )?;
        let actor = self.actor();
        self.store
            .start_team(
                &TeamRecord {
                    id: team_id,
                    patient_id: patient,
                    started_at: now,
                    confirmed: false,
                },
                &owner,
                &TeamWrite {
                    operation: op.as_ref(),
                    actor: &actor,
                    now,
                },
            )
            .await?;
        self.patient_team(patient_id).await
    }

    /// 「チームに招待」: an organisation of the directory with a role. The
    /// domain decides whether the role fits the organisation's kind and
    /// whether it may be invited (a stopped one may not).
    pub async fn invite_to_team(
        &self,
        team_id: &str,
        input: &InviteInput,
    ) -> Result<PatientTeam, AppError> {
        let ctx = self.team_context(team_id).await?;
        if !ctx.may_share {
            return Err(team_error(TeamError::NoTeamConsent));
        }
        let organisation = self
            .store
            .directory_entry(parse_id(&input.organisation_id)?)
            .await
            .map_err(|_| AppError::field("organisationId", "招待する機関を選んでください。"))?;
        let role = TeamRole::from_code(&input.role)
            .ok_or_else(|| AppError::field("role", "チームでの役割を選んでください。"))?;
        let person = input.person.trim();
        if person.chars().count() > PERSON_MAX_CHARS || person.chars().any(char::is_control) {
            return Err(AppError::field(
                "person",
                format!("担当者名は{PERSON_MAX_CHARS}文字以内で、改行を含めずに入力してください。"),
            ));
        }
        let now = self.clock.now();
        let owner_active = ctx.own.as_member().is_active_at(now);
        let step = check_invitation(
            owner_active,
            &Invitee {
                kind: organisation.kind,
                stopped: organisation.stopped,
                // The invitee's own setting is the server's to apply.
                needs_approval: false,
            },
            role,
            now,
        )
        .map_err(team_error)?;
        let already = ctx.members.iter().any(|m| {
            m.organisation_id == Some(organisation.id)
                && matches!(
                    m.as_member().state_at(now),
                    MemberState::Invited | MemberState::AwaitingApproval | MemberState::Active
                )
        });
        if already {
            return Err(team_error(TeamError::AlreadyMember));
        }
        let member = MemberRecord {
            id: tsunagu_domain::new_id(),
            team_id: ctx.team.id,
            organisation_id: Some(organisation.id),
            name: organisation.name.clone(),
            kind: Some(organisation.kind),
            role,
            state: MemberState::from_invitation(step.state),
            person: person.to_string(),
            phone: organisation.phone.clone(),
            fax: organisation.fax.clone(),
            relation: String::new(),
            expires_at: Some(step.expires_at),
            needs_approval: false,
            access_until: None,
            first_contact_for: Vec::new(),
            invited_by: Some(ctx.own.id),
        };
        let op = self.team_operation(
            true,
            member.id,
            &TeamOp::Invited {
                team_id: ctx.team.id,
                member_id: member.id,
                organisation_id: organisation.id,
                role: role.code().to_string(),
                person: member.person.clone(),
            },
        )?;
        self.save_member(&member, op.as_ref()).await?;
        self.patient_team(&ctx.team.patient_id.to_string()).await
    }

    /// 再送 / 取消 / チームから外す (`resend`, `cancel`, `remove`), as the
    /// member's state machine allows the physician.
    pub async fn team_member_action(
        &self,
        team_id: &str,
        member_id: &str,
        action: &str,
    ) -> Result<PatientTeam, AppError> {
        let ctx = self.team_context(team_id).await?;
        let member_id = parse_id(member_id)?;
        let member = ctx
            .members
            .iter()
            .find(|m| m.id == member_id)
            .ok_or_else(AppError::not_found)?;
        let step = match action {
            "resend" => MemberAction::Invitation(InvitationAction::Resend),
            "cancel" => MemberAction::Invitation(InvitationAction::Cancel),
            "remove" => MemberAction::Remove,
            _ => return Err(AppError::not_found()),
        };
        if member.role.is_contact_only() {
            // Family contacts are never invited; they are only listed.
            return Err(team_error(TeamError::ContactIsNotInvited));
        }
        // Resending shares the patient again; cancelling and removing
        // take access away and go even without consent.
        if action == "resend" && !ctx.may_share {
            return Err(team_error(TeamError::NoTeamConsent));
        }
        let now = self.clock.now();
        let applied =
            apply(&member.as_member(), step, ActorRelation::Physician, now).map_err(team_error)?;
        let changed = MemberRecord {
            state: applied.member.state,
            expires_at: applied.member.expires_at,
            ..member.clone()
        };
        let op = self.team_operation(
            true,
            member.id,
            &TeamOp::MemberAction {
                team_id: ctx.team.id,
                member_id: member.id,
                action: action.to_string(),
            },
        )?;
        self.save_member(&changed, op.as_ref()).await?;
        self.patient_team(&ctx.team.patient_id.to_string()).await
    }

    /// 家族の連絡先: a name, the relation and a telephone number.
    pub async fn add_family_contact(
        &self,
        team_id: &str,
        draft: &FamilyContactDraft,
    ) -> Result<PatientTeam, AppError> {
        let ctx = self.team_context(team_id).await?;
        let id = tsunagu_domain::new_id();
        let (member, contact, _change) = add_family_contact(id.to_string(), draft)
            .map_err(|errors| field_errors(errors, |f| f.key()))?;
        let record = MemberRecord {
            id,
            team_id: ctx.team.id,
            organisation_id: None,
            name: contact.name.clone(),
            kind: None,
            role: member.role,
            state: member.state,
            person: String::new(),
            phone: contact.phone.clone(),
            fax: String::new(),
            relation: contact.relation.clone(),
            expires_at: None,
            needs_approval: false,
            access_until: None,
            first_contact_for: Vec::new(),
            invited_by: Some(ctx.own.id),
        };
        let op = self.team_operation(
            ctx.may_share,
            id,
            &TeamOp::FamilyContactAdded {
                team_id: ctx.team.id,
                member_id: id,
                name: contact.name,
                relation: contact.relation,
                phone: contact.phone,
            },
        )?;
        self.save_member(&record, op.as_ref()).await?;
        self.patient_team(&ctx.team.patient_id.to_string()).await
    }

    /// The first contact for a kind of question (e.g. 夜間・休日): one
    /// active member, not a family contact; set by the physician.
    pub async fn set_first_contact(
        &self,
        team_id: &str,
        member_id: &str,
        topic: &str,
    ) -> Result<PatientTeam, AppError> {
        let ctx = self.team_context(team_id).await?;
        let member_id = parse_id(member_id)?;
        let topic = FirstContactTopic::from_code(topic)
            .ok_or_else(|| AppError::field("topic", "どの連絡先かを選んでください。"))?;
        let now = self.clock.now();
        let mut members: Vec<_> = ctx.members.iter().map(MemberRecord::as_member).collect();
        assign_first_contact(&mut members, &member_id.to_string(), topic, true, now)
            .map_err(team_error)?;
        let op = self.team_operation(
            ctx.may_share,
            member_id,
            &TeamOp::FirstContactSet {
                team_id: ctx.team.id,
                member_id,
                topic: topic.code().to_string(),
            },
        )?;
        let actor = self.actor();
        self.store
            .set_first_contact(
                ctx.team.id,
                member_id,
                topic,
                &TeamWrite {
                    operation: op.as_ref(),
                    actor: &actor,
                    now,
                },
            )
            .await?;
        self.patient_team(&ctx.team.patient_id.to_string()).await
    }

    async fn save_member(
        &self,
        member: &MemberRecord,
        operation: Option<&tsunagu_store::TeamOperation>,
    ) -> Result<(), AppError> {
        let actor = self.actor();
        self.store
            .save_team_member(
                member,
                &TeamWrite {
                    operation,
                    actor: &actor,
                    now: self.clock.now(),
                },
            )
            .await?;
        Ok(())
    }
}
