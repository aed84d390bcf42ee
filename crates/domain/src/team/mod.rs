//! The home-care team (在宅チーム) around one patient and its shared
//! timeline (DESIGN.md §9, ADR 0020): organisations and professions, the
//! team's roles and first contacts, invitations and membership, who may
//! read and post, the timeline's entries, requests, vital signs, receipts
//! and attachments, the lines referral events put on it, and who may
//! report where the patient is. Types and pure transitions only: the
//! server, the store and the UI apply them and never copy them.

mod access;
mod actor;
mod attachment;
pub mod conference;
mod contact;
mod error;
mod first_contact;
mod history;
mod hospital_stay;
pub mod invitation;
mod membership;
mod news;
mod organisation;
mod profession;
mod receipts;
mod referral_line;
mod request;
mod role;
mod timeline;
mod vitals;
mod ward_staff;

pub use access::{audience, check_may_post, check_may_read};
pub use actor::{ActorFacts, ActorRelation, relation};
pub use attachment::{
    MAX_FILE_NAME_BYTES, TeamAttachment, check_attachment_name, check_team_attachment,
};
pub use contact::{
    FamilyContact, FamilyContactDraft, FamilyContactField, add_family_contact, start_team,
};
pub use error::TeamError;
pub use first_contact::{
    FirstContactTopic, assign_first_contact, check_first_contacts, first_contact,
};
pub use history::TeamChange;
pub use hospital_stay::{HOSPITAL_OFFICE, acts_through, office_on_team, office_stays};
pub use invitation::{
    INVITATION_VALID_DAYS, InvitationAction, InvitationState, InvitationStep, check_invitation,
    invitation_expires_at,
};
pub use membership::{Applied, MemberAction, MemberState, TeamMember, apply};
pub use news::{check_may_report, check_report, may_report, statuses_to_report};
pub use organisation::{Invitee, OrganisationKind, check_invitee};
pub use profession::{Profession, TeamCapability};
pub use receipts::{Receipt, ReceiptSummary, summarise};
pub use referral_line::{referral_line_ja, voided_line_ja};
pub use request::{RequestActor, RequestState};
pub use role::TeamRole;
pub use timeline::{
    BODY_MAX_CHARS, EntryFacts, EntryKind, check_body, check_correction, check_reply_target,
};
pub use vitals::{Vitals, VitalsDraft, VitalsField, check_vitals};
pub use ward_staff::{
    DEFAULT_DAYS_AFTER_STAY, MAX_DAYS_AFTER_STAY, WardInvitation, access_until_after_stay,
    check_ward_invitation, parse_days_after_stay, ward_member, ward_title,
};
