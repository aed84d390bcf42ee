//! The patient's home-care team (在宅チーム) and its timeline, as the
//! clinic's staff use them (issue 16, ADR 0020, 0023). Each use case asks
//! the domain's rules with the facts it reads from the store (the members,
//! the consent, the signed-in account's profession, the time) and writes
//! the result with its team operation in one transaction. The clinic is
//! always the team's owner (主治医): it starts the team.

mod conference;
mod members;
mod timeline;
mod view;

pub use conference::{
    ConferenceInput, ConferenceView, InvitableMember, InviteeView, TeamConferences,
};
pub use members::InviteInput;
pub(crate) use timeline::PreparedPost;
pub use timeline::{PostDraft, TeamAttachmentFile};
pub use view::{
    AttachmentView, EntryView, HistoryView, MemberView, PatientTeam, ReceiptView, TeamBadge,
    TeamView, Timeline,
};

use tsunagu_domain::team::{Profession, TeamError, TeamRole};
use tsunagu_domain::{Capability, StaffRole, team_may_share};
use tsunagu_protocol::{TeamOp, WireAuthor};
use tsunagu_store::{MemberRecord, TeamOperation, TeamRecord};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};

/// A staff member's profession on the team, from the account's role.
pub fn profession_of(role: StaffRole) -> Profession {
    match role {
        StaffRole::Doctor => Profession::Physician,
        StaffRole::Nurse => Profession::Nurse,
        StaffRole::Clerk => Profession::Clerk,
    }
}

/// A refusal of the team's rules as the user sees it: the domain's
/// Japanese message (it names no patient).
pub(crate) fn team_error(error: TeamError) -> AppError {
    use TeamError::*;
    let code = match &error {
        ProfessionMayNotPost { .. }
        | ProfessionMayNotRecordVitals(_)
        | ProfessionMayNotRead(_)
        | OnlyInviteeAnswers
        | OnlyInviteeAdminApproves
        | OnlyInviterResendsOrCancels
        | OnlyMemberLeaves
        | OnlyPhysicianRemoves
        | OnlyAskerOrPhysicianCloses
        | OnlyPhysicianSetsFirstContact
        | StrikeOnlyOwn => ErrorCode::Forbidden,
        AlreadyMember | AlreadyAccepted | AlreadyLeft | AlreadyRemoved | AlreadyStruck
        | RequestClosed | InvitationExpired | InvitationCancelled | InvitationDeclined => {
            ErrorCode::Conflict
        }
        _ => ErrorCode::Validation,
    };
    AppError::new(code, error.message_ja())
}

/// What a use case on a team reads first.
pub(crate) struct TeamContext {
    pub team: TeamRecord,
    pub members: Vec<MemberRecord>,
    /// The clinic's own member (主治医).
    pub own: MemberRecord,
    /// The patient's consent names the team, in force today.
    pub may_share: bool,
}

/// Who writes: the signed-in account's name and profession.
pub(crate) struct Author {
    pub name: String,
    pub profession: Profession,
}

impl Author {
    pub fn wire(&self) -> WireAuthor {
        WireAuthor {
            name: self.name.clone(),
            profession: self.profession.code().to_string(),
        }
    }
}

impl App {
    /// The staff member acting: the signed-in account (its display name,
    /// its role's profession). An app opened without accounts (tests,
    /// tools) acts as a physician under its own name.
    pub(crate) fn team_author(&self) -> Result<Author, AppError> {
        let session = self.session();
        match &session.account {
            Some(account) => Ok(Author {
                name: account.display_name.clone(),
                profession: profession_of(account.role),
            }),
            None if !self.accounts_required => Ok(Author {
                name: self.actor.clone(),
                profession: Profession::Physician,
            }),
            None => Err(crate::accounts::signed_out()),
        }
    }

    /// The patient's team consent stands today (`team_may_share`).
    pub(crate) async fn team_may_share(&self, patient_id: Uuid) -> Result<bool, AppError> {
        let today = self.clock.today();
        Ok(self
            .store
            .consents_for_patient(patient_id)
            .await?
            .iter()
            .any(|c| team_may_share(Some(&c.team_sharing()), today)))
    }

    /// The team by id, with its members and the clinic's own member.
    pub(crate) async fn team_context(&self, team_id: &str) -> Result<TeamContext, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let team_id = crate::patients::parse_id(team_id)?;
        let team = self.store.team(team_id).await?;
        let members = self.store.team_members(team.id).await?;
        let own = members
            .iter()
            .find(|m| m.role == TeamRole::PrimaryPhysician)
            .cloned()
            .ok_or_else(|| AppError::from(tsunagu_store::StoreError::Corrupt("team owner")))?;
        let may_share = self.team_may_share(team.patient_id).await?;
        Ok(TeamContext {
            team,
            members,
            own,
            may_share,
        })
    }

    /// Serialises `op` for the outbox when the team's consent stands
    /// (`record_id`: the entry a post makes, the team a start makes, the
    /// member an invitation or a member's change is about, else an id of
    /// its own; a refused post is marked by it, and a start found by it):
    /// otherwise nothing about the team goes to the server.
    pub(crate) fn team_operation(
        &self,
        may_share: bool,
        record_id: Uuid,
        op: &TeamOp,
    ) -> Result<Option<TeamOperation>, AppError> {
        if !may_share {
            return Ok(None);
        }
        Ok(Some(TeamOperation {
            record_id,
            payload: serde_json::to_string(op).map_err(|_| {
                AppError::new(ErrorCode::Internal, "送信の準備ができませんでした。")
            })?,
        }))
    }
}

/// Field messages from a domain check's `(field, message)` list.
pub(crate) fn field_errors<F>(
    errors: Vec<(F, String)>,
    key: impl Fn(&F) -> &'static str,
) -> AppError {
    AppError::validation(
        errors
            .into_iter()
            .map(|(field, message)| FieldMessage::new(key(&field), message))
            .collect(),
    )
}

/// What the timeline's rules need of an entry: struck by a correction
/// that counts (one refused by the server, or withheld, does not).
pub(crate) fn timeline_facts(
    entry: &tsunagu_store::EntryRecord,
    all: &[tsunagu_store::EntryRecord],
) -> tsunagu_domain::team::EntryFacts {
    use tsunagu_store::EntryState;
    tsunagu_domain::team::EntryFacts {
        id: entry.id.to_string(),
        kind: entry.kind,
        author_member: entry.author_member.map(|m| m.to_string()),
        reply_to: entry.reply_to.map(|r| r.to_string()),
        struck_by: all
            .iter()
            .find(|e| {
                e.strikes == Some(entry.id)
                    && matches!(e.state, EntryState::Pending | EntryState::Confirmed)
            })
            .map(|e| e.id.to_string()),
    }
}
