/// Every IPC command; Tauri generates `allow-<command>` permissions for
/// each, and capabilities/default.json grants them to the main window.
const COMMANDS: &[&str] = &[
    "get_startup_state",
    "save_clinic_profile",
    "search_patients",
    "get_patient",
    "create_patient",
    "update_patient",
    "delete_patient",
    "restore_patient",
    "preview_birth_date",
    "start_letter",
    "save_letter_draft",
    "get_letter_draft",
    "discard_letter_draft",
    "patient_letters",
    "issue_letter",
    "correct_letter",
    "letter_destinations",
    "set_favourite_destination",
    "save_letter_pdf",
    "open_letter_pdf",
    "patient_referrals",
    "referral_board",
    "record_referral_event",
    "void_referral_event",
    "worklist",
    "dismiss_worklist_item",
    "worklist_settings",
    "save_worklist_settings",
    "choose_reply_attachment",
    "record_reply",
    "open_reply_attachment",
    "loop_figures",
    "save_loop_figures_csv",
    "sync_status",
    "enroll_device",
    "check_connection",
    "sync_state",
    "sync_now",
    "sync_conflicts",
    "patient_consents",
    "save_consent",
    "open_consent_form",
    "save_consent_form",
];

#[expect(
    clippy::expect_used,
    reason = "a build script reports failure by panicking"
)]
fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
