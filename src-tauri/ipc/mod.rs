//! The JSON shapes that cross the IPC boundary, by feature, and their
//! TypeScript twins in `ui/src/api/bindings.ts` (generated from these by
//! ts-rs; a test fails when that file is stale). Only this module knows
//! these shapes.

mod accounts;
mod acp;
mod backup;
mod board;
mod care_summary;
mod clinic;
mod conference;
mod consents;
pub(crate) mod declare;
mod directory;
mod discharge;
mod errors;
mod fhir;
mod figures;
mod intake;
mod letters;
mod nursing_orders;
mod patients;
mod referrals;
mod replies;
mod sharing_fee;
mod sync;
mod team;
mod worklist;

pub use accounts::*;
pub use acp::*;
pub use backup::*;
pub use board::*;
pub use care_summary::*;
pub use clinic::*;
pub use conference::*;
pub use consents::*;
pub use directory::*;
pub use discharge::*;
pub use errors::*;
pub use fhir::*;
pub use figures::*;
pub use intake::*;
pub use letters::*;
pub use nursing_orders::*;
pub use patients::*;
pub use referrals::*;
pub use replies::*;
pub use sharing_fee::*;
pub use sync::*;
pub use team::*;
pub use worklist::*;

pub(crate) use declare::ipc_commands;

use ts_rs::TS;

/// The TypeScript declarations of every IPC type, as `bindings.ts` holds them.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        Sex::decl(&cfg),
        ClinicProfile::decl(&cfg),
        PatientInput::decl(&cfg),
        Patient::decl(&cfg),
        PatientSummary::decl(&cfg),
        SearchResult::decl(&cfg),
        BirthDatePreview::decl(&cfg),
        ErrorCode::decl(&cfg),
        FieldError::decl(&cfg),
        AppError::decl(&cfg),
        StartupState::decl(&cfg),
        SignedInAccount::decl(&cfg),
        Session::decl(&cfg),
        Account::decl(&cfg),
        AccountInput::decl(&cfg),
        ChosenBackup::decl(&cfg),
        LetterKind::decl(&cfg),
        LabRowDraft::decl(&cfg),
        LetterDraftContent::decl(&cfg),
        LetterDraft::decl(&cfg),
        Destination::decl(&cfg),
        Destinations::decl(&cfg),
        IssuedLetter::decl(&cfg),
        PatientLetters::decl(&cfg),
        SavedFile::decl(&cfg),
        SavedWithFhir::decl(&cfg),
        EventInput::decl(&cfg),
        ReferralEvent::decl(&cfg),
        Referral::decl(&cfg),
        PatientReferrals::decl(&cfg),
        WorklistItem::decl(&cfg),
        Worklist::decl(&cfg),
        Reply::decl(&cfg),
        ReplyInput::decl(&cfg),
        ChosenFile::decl(&cfg),
        BoardFilter::decl(&cfg),
        BoardRow::decl(&cfg),
        Board::decl(&cfg),
        WorklistSettings::decl(&cfg),
        FiguresPeriod::decl(&cfg),
        FigureRow::decl(&cfg),
        LoopFigures::decl(&cfg),
        SyncStatus::decl(&cfg),
        EnrollInput::decl(&cfg),
        SyncState::decl(&cfg),
        SyncConflict::decl(&cfg),
        SyncReport::decl(&cfg),
        RegionalHospital::decl(&cfg),
        Consent::decl(&cfg),
        ConsentInput::decl(&cfg),
        BackupStatus::decl(&cfg),
        TeamPanel::decl(&cfg),
        Team::decl(&cfg),
        TeamMember::decl(&cfg),
        TeamHistoryLine::decl(&cfg),
        TeamTimeline::decl(&cfg),
        TeamEntry::decl(&cfg),
        TeamVitals::decl(&cfg),
        TeamAttachment::decl(&cfg),
        TeamReceipt::decl(&cfg),
        TeamBadge::decl(&cfg),
        DirectoryOrganisation::decl(&cfg),
        InviteInput::decl(&cfg),
        FamilyContactInput::decl(&cfg),
        VitalsInput::decl(&cfg),
        PostInput::decl(&cfg),
        DischargeRequest::decl(&cfg),
        TeamConferences::decl(&cfg),
        TeamConference::decl(&cfg),
        ConferenceInvitee::decl(&cfg),
        ConferenceInvitable::decl(&cfg),
        ConferenceInput::decl(&cfg),
        DirectorySearchInput::decl(&cfg),
        DirectoryResults::decl(&cfg),
        DirectoryListing::decl(&cfg),
        DirectoryOffer::decl(&cfg),
        DirectoryBeds::decl(&cfg),
        IntakeInput::decl(&cfg),
        IntakeFormStart::decl(&cfg),
        IntakeRequest::decl(&cfg),
        AcpParticipantInput::decl(&cfg),
        AcpWishInput::decl(&cfg),
        AcpInput::decl(&cfg),
        AcpParticipant::decl(&cfg),
        AcpWish::decl(&cfg),
        Acp::decl(&cfg),
        AcpHistory::decl(&cfg),
        RecordedAcp::decl(&cfg),
        CareSummaryInput::decl(&cfg),
        CareSummary::decl(&cfg),
        SavedCareSummary::decl(&cfg),
        SharingFeeInput::decl(&cfg),
        SharingFeeRecord::decl(&cfg),
        SharingFeeCheck::decl(&cfg),
        SharingFeeReportRow::decl(&cfg),
        SharingFeeReport::decl(&cfg),
        NursingOrderDiagnosis::decl(&cfg),
        NursingOrderForm::decl(&cfg),
        NursingOrderInput::decl(&cfg),
        NursingOrderDraft::decl(&cfg),
        NursingOrder::decl(&cfg),
        PatientNursingOrders::decl(&cfg),
        IssuedNursingOrder::decl(&cfg),
        NursingOrderStation::decl(&cfg),
        NursingOrderStations::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust IPC types (src-tauri/ipc/) by ts-rs.\n\
         // Do not edit by hand: run `make bindings`.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The TypeScript wrapper of every IPC command, as `commands.ts` holds
/// them (from the table in src-tauri/commands/mod.rs).
pub fn typescript_commands() -> String {
    declare::typescript_commands(crate::commands::COMMANDS, &typescript_bindings())
}

#[cfg(test)]
mod tests {
    const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api/bindings.ts");

    /// The UI's types must be the ones generated from this module.
    #[test]
    fn ipc_bindings_are_current() {
        let generated = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(BINDINGS, &generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(BINDINGS).unwrap_or_default();
        assert!(
            current == generated,
            "ui/src/api/bindings.ts is stale: run `make bindings` and commit the result"
        );
    }
}
