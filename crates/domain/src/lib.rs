//! Tsunagu's domain rules: Japanese dates, kana search, and validation of
//! what the user types. Pure functions only; storage and I/O live elsewhere.

pub mod account;
pub mod acp;
pub mod age;
pub mod attention;
pub mod backup;
pub mod care_summary;
pub mod clinic;
pub mod consent;
pub mod date_error;
pub mod dates;
pub mod directory;
pub mod discharge_request;
mod field_rules;
pub mod hospital_document;
pub mod ids;
pub mod intake;
pub mod kana;
pub mod lab_results;
pub mod normalize;
pub mod nursing_order;
pub mod patient;
pub mod preregistration;
pub mod referral;
pub mod reply;
pub mod sex;
pub mod sharing_fee;
pub mod team;
pub mod tracking;
pub mod wareki;

pub use account::{Capability, StaffRole, permits};
pub use age::{age_on, format_birth_date};
pub use attention::{
    BACKUP_DUE_AFTER_HOURS, BackupAttention, BackupFacts, OPEN_REQUEST_DAYS, Overdue, OverdueFacts,
    OverdueRule, PatientLife, WorklistReason, backup_attention, clinic_overdue,
    open_request_needs_attention, region_attention,
};
pub use backup::Retention;
pub use clinic::{ClinicDraft, ClinicField, ClinicFieldError, ClinicProfile, validate_clinic};
pub use consent::{
    Consent, ConsentDraft, ConsentField, ConsentGiver, ConsentScope, TeamSharingConsent,
    TeamSharingConsentDraft, check_consent, check_team_sharing_consent, team_may_share,
};
pub use date_error::DateError;
pub use dates::{japan_day, parse_date};
pub use field_rules::{Checked, Rejection, check_phone};
pub use ids::new_id;
pub use kana::{is_furigana, normalize_for_search, search_key};
pub use lab_results::{
    Comparison, LabCsvError, LabFlag, LabResult, Measured, check_lab_row, parse_lab_csv,
};
pub use patient::{
    FieldError, KeyPerson, PatientDraft, PatientField, PatientFields, check_birth_date,
    normalize_chart_number, validate_patient,
};
pub use referral::{
    DestinationKind, DischargeDestination, EVENT_NOTE_MAX_CHARS, EVENT_TEXT_MAX_CHARS,
    EventDetails, Outcome, ReferralError, ReferralEvent, ReferralState, ReferralStatus, WhereNow,
    check_append, may_follow, partition_fitting, replay, replay_fitting,
};
pub use reply::{
    AttachmentError, AttachmentKind, MAX_ATTACHMENT_BYTES, ReplyDraft, ReplyError, ReplyField,
    ReplyFindings, check_attachment, check_reply,
};
pub use sex::Sex;
pub use team::{
    EntryKind, InvitationState, MemberState, OrganisationKind, Profession, TeamError, TeamRole,
};
pub use tracking::{TrackingCode, TrackingCodeError};
pub use wareki::{Era, WarekiDate};

/// A date as people read it: 令和8年5月12日 (western form before 明治).
pub fn format_wareki(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    WarekiDate::from_date(date).map_or_else(
        || format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        |w| w.to_string(),
    )
}
