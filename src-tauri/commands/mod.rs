//! The IPC commands. The table below is the one place a command is
//! declared: its name, the arguments the webview sends, what it resolves
//! with, its TypeScript wrapper's name and the function that does the work
//! (see `crate::ipc::declare` for an entry's form). From it come the
//! `#[tauri::command]` functions and the invoke handler (here), the
//! wrappers in `ui/src/api/commands.ts` (a test fails when that file is
//! stale), and the `allow-*` permissions and the `ipc-commands` set that
//! capabilities/default.json grants (build.rs reads this file as text).
//!
//! The functions in the modules are thin: take the arguments, call the
//! `app` use case, return its result in IPC shape.

pub mod accounts;
pub mod acp;
pub mod backup;
pub mod care_summary;
pub mod clinic;
pub mod conference;
pub mod consents;
pub mod directory;
pub mod discharge;
pub mod fhir;
pub mod figures;
pub mod files;
pub mod intake;
pub mod letters;
pub mod notifications;
pub mod nursing_orders;
pub mod patients;
pub mod referrals;
pub mod replies;
pub mod sharing_fee;
pub mod startup;
pub mod sync;
pub mod team;

use crate::ipc::*;

ipc_commands! {
    // startup
    fn get_startup_state() -> StartupState
        as getStartupState => startup::get_startup_state(desktop).await;
    /// 新しく始める: creates the empty store on a PC that has none.
    fn start_new_store() -> StartupState
        as startNewStore => startup::start_new_store(desktop, trigger).await;
    /// Opens the OS file dialog for a backup; null when cancelled.
    fn choose_backup_file() -> Option<ChosenBackup>
        as chooseBackupFile => startup::choose_backup_file(app, window, chosen).await;
    /// Restores the chosen backup with the recovery passphrase; nothing changes when it is refused.
    fn restore_from_backup(backup: String, passphrase: String) -> StartupState
        as restoreFromBackup => startup::restore_from_backup(desktop, chosen, trigger).await;

    // accounts and the screen lock
    /// Which screen to show: the first administrator, sign-in, the lock screen or the app.
    fn session() -> Session
        as getSession => accounts::session(desktop).await;
    /// The first start's administrator (only while there is no account); signs them in.
    fn create_first_account(input: AccountInput) -> Session
        as createFirstAccount => accounts::create_first_account(desktop).await;
    fn sign_in(login: String, password: String) -> Session
        as signIn => accounts::sign_in(desktop).await;
    /// Unlocks with the PIN or the password of the account that locked.
    fn unlock(secret: String) -> Session
        as unlock => accounts::unlock(desktop).await;
    /// ロック: patient data hidden until the account unlocks; syncing goes on.
    fn lock_now() -> Session
        as lockNow => accounts::lock_now(desktop).await;
    fn sign_out() -> Session
        as signOut => accounts::sign_out(desktop).await;
    /// The user is at work in the window; rejects with "locked" once the app has locked.
    fn still_here() -> ()
        as stillHere => accounts::still_here(desktop).await;
    fn change_password(old_password: String, new_password: String) -> Session
        as changePassword => accounts::change_password(desktop).await;
    /// Sets the unlock PIN (4–8 digits), or removes it with null.
    fn set_pin(pin: Option<String>) -> Session
        as setPin => accounts::set_pin(desktop).await;
    /// The administrator's list of the clinic's accounts.
    fn list_accounts() -> Vec<Account>
        as listAccounts => accounts::list_accounts(desktop).await;
    /// Adds an account with a temporary password, to be changed at its first sign-in.
    fn add_account(input: AccountInput) -> Vec<Account>
        as addAccount => accounts::add_account(desktop).await;
    /// A forgotten password: the administrator sets a temporary one.
    fn reset_password(account_id: String, temporary_password: String) -> Vec<Account>
        as resetPassword => accounts::reset_password(desktop).await;
    /// Disables or enables an account; never one's own or the last administrator.
    fn set_account_disabled(account_id: String, disabled: bool) -> Vec<Account>
        as setAccountDisabled => accounts::set_account_disabled(desktop).await;
    /// The idle time before the app locks (1–120 minutes; the administrator's).
    fn set_lock_minutes(minutes: u32) -> Session
        as setLockMinutes => accounts::set_lock_minutes(desktop).await;

    // clinic
    fn save_clinic_profile(profile: ClinicProfile) -> ClinicProfile
        as saveClinicProfile => clinic::save_clinic_profile(desktop).await;

    // patients
    /// An empty query lists patients by kana; at most 100 rows, `total` is the full count.
    fn search_patients(query: String, include_deleted: bool) -> SearchResult
        as searchPatients => patients::search_patients(desktop).await;
    fn get_patient(id: String) -> Patient
        as getPatient => patients::get_patient(desktop).await;
    fn create_patient(input: PatientInput) -> Patient
        as createPatient => patients::create_patient(desktop).await;
    fn update_patient(id: String, input: PatientInput) -> Patient
        as updatePatient => patients::update_patient(desktop).await;
    /// Soft delete: the patient stays in the store and can be restored.
    fn delete_patient(id: String) -> Patient
        as deletePatient => patients::delete_patient(desktop).await;
    fn restore_patient(id: String) -> Patient
        as restorePatient => patients::restore_patient(desktop).await;
    /// Rejects with code "validation" and a message saying what is wrong with the input.
    fn preview_birth_date(input: String) -> BirthDatePreview
        as previewBirthDate => patients::preview_birth_date(desktop).await;

    // letters
    fn start_letter(patient_id: String, kind: LetterKind) -> LetterDraft
        as startLetter => letters::start_letter(desktop).await;
    /// Saves whatever was typed; only a draft too large for the store is refused.
    fn save_letter_draft(draft_id: String, content: LetterDraftContent) -> LetterDraft
        as saveLetterDraft => letters::save_letter_draft(desktop).await;
    /// 「CSVから読み込む」: opens the OS file dialog for a lab CSV (UTF-8 or Shift_JIS) and adds its rows to the draft's 検査結果; null when cancelled. A file with any bad line is refused whole (field errors on labResults, one a line) and the draft is unchanged.
    fn import_lab_csv(draft_id: String) -> Option<LetterDraft>
        as importLabCsv => letters::import_lab_csv(app, window, desktop).await;
    fn get_letter_draft(draft_id: String) -> LetterDraft
        as getLetterDraft => letters::get_letter_draft(desktop).await;
    fn discard_letter_draft(draft_id: String) -> ()
        as discardLetterDraft => letters::discard_letter_draft(desktop).await;
    fn patient_letters(patient_id: String) -> PatientLetters
        as patientLetters => letters::patient_letters(desktop).await;
    /// Renders, stores and (for a referral) opens the referral; rejects with field errors.
    fn issue_letter(draft_id: String) -> IssuedLetter
        as issueLetter => letters::issue_letter(desktop).await;
    /// A new draft holding the issued letter's content, to be issued as its next version.
    fn correct_letter(letter_id: String) -> LetterDraft
        as correctLetter => letters::correct_letter(desktop).await;
    fn letter_destinations() -> Destinations
        as letterDestinations => letters::letter_destinations(desktop).await;
    fn set_favourite_destination(destination: Destination, favourite: bool) -> Destinations
        as setFavouriteDestination => letters::set_favourite_destination(desktop).await;

    // files
    /// Opens the OS save dialog; `path` is null when the user cancelled.
    fn save_letter_pdf(letter_id: String) -> SavedFile
        as saveLetterPdf => files::save_letter_pdf(app, window, desktop).await;
    /// Opens the issued PDF in the system's PDF viewer, to print it.
    fn open_letter_pdf(letter_id: String) -> ()
        as openLetterPdf => files::open_letter_pdf(desktop).await;
    /// 「PDF＋FHIRを保存」: one save dialog for the PDF; its JP-CLINS FHIR document (JSON, the PDF inside) is written beside it under the same name. Rejects with a field error on institutionCode, before the dialog, when the clinic has no usable 医療機関コード; both paths are null when cancelled.
    fn save_letter_with_fhir(letter_id: String) -> SavedWithFhir
        as saveLetterWithFhir => fhir::save_letter_with_fhir(app, window, desktop).await;

    // referrals
    /// Where the patient is now, and their referrals (newest first) with their history.
    fn patient_referrals(patient_id: String) -> PatientReferrals
        as getPatientReferrals => referrals::patient_referrals(desktop).await;
    /// A page of the referral board, filtered and ordered; overdue rows are flagged.
    fn referral_board(filter: BoardFilter) -> Board
        as referralBoard => referrals::referral_board(desktop).await;
    /// Rejects with a message when the status machine does not allow the event.
    fn record_referral_event(referral_id: String, input: EventInput) -> Referral
        as recordReferralEvent => referrals::record_referral_event(desktop).await;
    /// Marks an entry as entered in error; it stays in the history.
    fn void_referral_event(referral_id: String, event_id: String, reason: String) -> Referral
        as voidReferralEvent => referrals::void_referral_event(desktop).await;
    /// The morning worklist (要確認): referrals that need the physician. New items are also announced by a desktop notification.
    /// The newest items (at most 100) and how many there are.
    fn worklist() -> Worklist
        as getWorklist => referrals::worklist(desktop).await;
    /// Takes an item off the worklist for good; the reason is kept.
    fn dismiss_worklist_item(referral_id: String, key: String, reason: String) -> Worklist
        as dismissWorklistItem => referrals::dismiss_worklist_item(desktop).await;
    /// The worklist's thresholds (days to acknowledgement, days to a reply letter).
    fn worklist_settings() -> WorklistSettings
        as getWorklistSettings => referrals::worklist_settings(desktop).await;
    fn save_worklist_settings(settings: WorklistSettings) -> WorklistSettings
        as saveWorklistSettings => referrals::save_worklist_settings(desktop).await;

    // replies
    /// Opens the OS file dialog for a reply's scan; null when cancelled. Rejects a wrong type or size.
    fn choose_reply_attachment() -> Option<ChosenFile>
        as chooseReplyAttachment => replies::choose_reply_attachment(app, window, chosen).await;
    /// Records a reply letter (with the chosen scan's token, if any).
    fn record_reply(referral_id: String, input: ReplyInput, attachment: Option<String>) -> Referral
        as recordReply => replies::record_reply(desktop, chosen).await;
    /// Opens a reply's scan in the system viewer.
    fn open_reply_attachment(reply_id: String) -> ()
        as openReplyAttachment => replies::open_reply_attachment(desktop).await;

    // figures
    /// 連携の実績 for referrals sent in the period.
    fn loop_figures(period: FiguresPeriod) -> LoopFigures
        as loopFigures => figures::loop_figures(desktop).await;
    /// Saves the figures as CSV where the user picks; `path` is null when cancelled.
    fn save_loop_figures_csv(period: FiguresPeriod) -> SavedFile
        as saveLoopFiguresCsv => figures::save_loop_figures_csv(app, window, desktop).await;

    // backups
    /// 最終バックアップ, the folder, whether the recovery passphrase is set, and why backups need attention.
    fn backup_status() -> BackupStatus
        as getBackupStatus => backup::backup_status(desktop).await;
    /// Sets the recovery passphrase once (at least 12 characters); it is not kept, only the key derived from it.
    fn set_backup_passphrase(passphrase: String) -> BackupStatus
        as setBackupPassphrase => backup::set_backup_passphrase(desktop).await;
    /// Opens the OS folder dialog; the status is unchanged when cancelled.
    fn choose_backup_folder() -> BackupStatus
        as chooseBackupFolder => backup::choose_backup_folder(app, window, desktop).await;
    /// Backs up now to the chosen folder.
    fn backup_now() -> BackupStatus
        as backupNow => backup::backup_now(desktop).await;
    /// A new recovery passphrase (the administrator's), the current one checked first.
    fn change_backup_passphrase(current_passphrase: String, passphrase: String) -> BackupStatus
        as changeBackupPassphrase => backup::change_backup_passphrase(desktop).await;
    /// Opens the 復旧シート to print: with the passphrase on it when given (checked first), else a box to write it in.
    fn open_recovery_sheet(passphrase: Option<String>) -> ()
        as openRecoverySheet => backup::open_recovery_sheet(desktop).await;

    // sync
    /// This install's enrollment with the regional server, or null before it.
    fn sync_status() -> Option<SyncStatus>
        as getSyncStatus => sync::sync_status(desktop).await;
    /// Trades the desk's one-time code for this device's credential (kept in the OS keyring).
    fn enroll_device(input: EnrollInput) -> SyncStatus
        as enrollDevice => sync::enroll_device(desktop, trigger).await;
    /// Asks the server who this device is; resolves with the organisation's name.
    fn check_connection() -> String
        as checkConnection => sync::check_connection(desktop).await;
    /// 最終同期 and the changes not yet sent; null before enrollment.
    fn sync_state() -> Option<SyncState>
        as getSyncState => sync::sync_state(desktop).await;
    /// 今すぐ同期: one exchange with the server now.
    fn sync_now() -> SyncReport
        as syncNow => sync::sync_now(desktop).await;
    /// Changes the server refused, newest first.
    fn sync_conflicts() -> Vec<SyncConflict>
        as getSyncConflicts => sync::sync_conflicts(desktop).await;

    // 地域の機関をさがす (the regional directory, searched on this PC's copy)
    /// The first results answering the form (those taking new patients first) and how many in all.
    fn search_directory(query: DirectorySearchInput) -> DirectoryResults
        as searchDirectory => directory::search_directory(desktop).await;
    /// Every 市区町村 the directory's organisations serve, for suggestions.
    fn directory_municipalities() -> Vec<String>
        as directoryMunicipalities => directory::directory_municipalities(desktop).await;
    /// The 市区町村 of an address (the patient's, as shown) that the directory knows; null if none.
    fn directory_area_of(address: String) -> Option<String>
        as directoryAreaOf => directory::directory_area_of(desktop).await;

    // 受入相談 (a request to an organisation found in the directory to take a patient on)
    /// The form as it opens: empty, or from a patient (age, sex, the address's 市区町村); the summary's hint.
    fn intake_form(patient_id: Option<String>) -> IntakeFormStart
        as intakeForm => intake::intake_form(desktop).await;
    /// Sends the request (checked field by field; waits in the outbox when offline). The patient stays on this PC.
    fn send_intake(patient_id: Option<String>, to_org: String, input: IntakeInput) -> IntakeRequest
        as sendIntake => intake::send_intake(desktop).await;
    /// Every request sent and asked, newest first.
    fn intakes() -> Vec<IntakeRequest>
        as intakes => intake::intakes(desktop).await;
    /// `accept`, `decline` (reason in `text`, required) or `consult`: the doctor's answer to a request asked of the clinic. Rejects with code "conflict" when it was already answered or withdrawn.
    fn answer_intake(request_id: String, answer: String, text: String) -> IntakeRequest
        as answerIntake => intake::answer_intake(desktop).await;
    /// Withdraws a request the clinic sent, while it waits for its answer.
    fn withdraw_intake(request_id: String) -> IntakeRequest
        as withdrawIntake => intake::withdraw_intake(desktop).await;

    // the home-care team (在宅チーム) and its timeline
    /// The patient's team panel (null team before 「チームを作る」).
    fn patient_team(patient_id: String) -> TeamPanel
        as patientTeam => team::patient_team(desktop).await;
    /// 「チームを作る」: only under a consent naming the team.
    fn start_team(patient_id: String) -> TeamPanel
        as startTeam => team::start_team(desktop).await;
    /// The organisations the clinic may invite, of every kind.
    fn team_directory() -> Vec<DirectoryOrganisation>
        as teamDirectory => team::team_directory(desktop).await;
    fn invite_to_team(team_id: String, input: InviteInput) -> TeamPanel
        as inviteToTeam => team::invite_to_team(desktop).await;
    /// `resend`, `cancel` or `remove`, where the member's state allows it.
    fn team_member_action(team_id: String, member_id: String, action: String) -> TeamPanel
        as teamMemberAction => team::team_member_action(desktop).await;
    fn add_family_contact(team_id: String, input: FamilyContactInput) -> TeamPanel
        as addFamilyContact => team::add_family_contact(desktop).await;
    /// Makes a member the first contact for a topic (e.g. night_and_holiday).
    fn set_first_contact(team_id: String, member_id: String, topic: String) -> TeamPanel
        as setFirstContact => team::set_first_contact(desktop).await;
    fn team_timeline(team_id: String) -> TeamTimeline
        as teamTimeline => team::team_timeline(desktop).await;
    /// The timeline was shown: the entries by others not yet read are marked read.
    fn mark_team_read(team_id: String) -> ()
        as markTeamRead => team::mark_team_read(desktop).await;
    /// Opens the OS file dialog for a photo or a PDF; null when cancelled. Rejects a wrong type, name or size.
    fn choose_team_attachment() -> Option<ChosenFile>
        as chooseTeamAttachment => team::choose_team_attachment(app, window, chosen).await;
    /// Posts (with the chosen files' tokens); waits in the outbox when offline.
    fn post_to_team(team_id: String, input: PostInput, attachments: Vec<String>) -> TeamTimeline
        as postToTeam => team::post_to_team(desktop, chosen).await;
    /// 「確認しました」
    fn acknowledge_team_entry(team_id: String, entry_id: String) -> TeamTimeline
        as acknowledgeTeamEntry => team::acknowledge_team_entry(desktop).await;
    /// Ends a 相談・依頼.
    fn close_team_request(team_id: String, entry_id: String) -> TeamTimeline
        as closeTeamRequest => team::close_team_request(desktop).await;
    fn open_team_attachment(attachment_id: String) -> ()
        as openTeamAttachment => team::open_team_attachment(desktop).await;
    fn save_team_attachment(attachment_id: String) -> SavedFile
        as saveTeamAttachment => team::save_team_attachment(app, window, desktop).await;
    /// Unread entries and open 相談 across the clinic's teams, for the header.
    fn team_badge() -> TeamBadge
        as teamBadge => team::team_badge(desktop).await;
    /// The team's 退院時カンファレンス with their invitees and answers, and what the account may do.
    fn team_conferences(team_id: String) -> TeamConferences
        as teamConferences => conference::team_conferences(desktop).await;
    /// 「カンファレンスを設定する」 (医師): rejects with field errors (date, time, link, invitees) or the domain's message; waits in the outbox when offline.
    fn schedule_conference(team_id: String, input: ConferenceInput) -> TeamConferences
        as scheduleConference => conference::schedule_conference(desktop).await;
    /// The clinic's answer to its invitation: `attend`, `online` or `absent`, until the conference starts.
    fn answer_conference(conference_id: String, attendance: String) -> TeamConferences
        as answerConference => conference::answer_conference(desktop).await;
    /// 中止にする (医師).
    fn cancel_conference(conference_id: String) -> TeamConferences
        as cancelConference => conference::cancel_conference(desktop).await;

    // 退院後の在宅医療の相談 (a hospital asks the family doctor first)
    /// The requests waiting for the physician (open, or answered here and not yet confirmed), the nearest reply-by day first.
    fn discharge_requests_waiting() -> Vec<DischargeRequest>
        as dischargeRequestsWaiting => discharge::discharge_requests_waiting(desktop).await;
    /// Every request about the patient, with its state, newest first.
    fn patient_discharge_requests(patient_id: String) -> Vec<DischargeRequest>
        as patientDischargeRequests => discharge::patient_discharge_requests(desktop).await;
    /// `accept`, `decline` (reason in `text`, required) or `consult` (optional text); waits in the outbox when offline. Rejects with code "conflict" when the request was already answered, cancelled or expired.
    fn answer_discharge_request(request_id: String, answer: String, text: String) -> DischargeRequest
        as answerDischargeRequest => discharge::answer_discharge_request(desktop).await;

    // ACP (人生会議)
    /// The patient's 人生会議 records, the current wishes first, and whether they are due for review (医師・看護師).
    fn patient_acp(patient_id: String) -> AcpHistory
        as patientAcp => acp::patient_acp(desktop).await;
    /// Records one conversation's wishes as a new signed version (医師・看護師) and posts them on the team's timeline when its consent stands; rejects with field errors and keeps nothing.
    fn record_acp(patient_id: String, input: AcpInput) -> RecordedAcp
        as recordAcp => acp::record_acp(desktop).await;
    /// Saves the current wishes as a FHIR Consent (JSON) where the user picks; rejects before the dialog when there is no record or no usable 医療機関コード; `path` is null when cancelled.
    fn save_acp_fhir(patient_id: String) -> SavedFile
        as saveAcpFhir => fhir::save_acp_fhir(app, window, desktop).await;

    // 医療・介護連携サマリー and the emergency sheet
    /// The patient's summary (医師・看護師), null until someone fills it in.
    fn patient_care_summary(patient_id: String) -> Option<CareSummary>
        as patientCareSummary => care_summary::patient_care_summary(desktop).await;
    /// Saves the summary as a new signed version (医師・看護師), with the team's pinned copy when its consent stands; rejects with field errors and keeps nothing.
    fn save_care_summary(patient_id: String, input: CareSummaryInput) -> SavedCareSummary
        as saveCareSummary => care_summary::save_care_summary(desktop).await;
    /// Opens the 救急医療情報 (summary, current 人生会議 wishes, contacts) in the system viewer, to print.
    fn open_emergency_sheet(patient_id: String) -> ()
        as openEmergencySheet => care_summary::open_emergency_sheet(desktop).await;
    /// Saves the 救急医療情報 where the user picks; `path` is null when cancelled.
    fn save_emergency_sheet(patient_id: String) -> SavedFile
        as saveEmergencySheet => care_summary::save_emergency_sheet(app, window, desktop).await;

    // 在宅医療情報連携加算 (ADR 0039)
    /// The patient's monthly records, newest month first and the counting version first within a month (医師・看護師 read).
    fn patient_sharing_fee(patient_id: String) -> Vec<SharingFeeRecord>
        as patientSharingFee => sharing_fee::patient_sharing_fee(desktop).await;
    /// Records the month's items as a new signed version (医師) and shares them on the team's timeline, in one write, when its consent stands; rejects with field errors and keeps nothing.
    fn record_sharing_fee(patient_id: String, input: SharingFeeInput) -> SharingFeeRecord
        as recordSharingFee => sharing_fee::record_sharing_fee(desktop).await;
    /// The month's report (`YYYY-MM`, not in the future): every home-care patient with each requirement met or missing.
    fn sharing_fee_report(month: String) -> SharingFeeReport
        as sharingFeeReport => sharing_fee::sharing_fee_report(desktop).await;
    /// Saves the month's report as CSV for Excel where the user picks; a refused month is said before the dialog; `path` is null when cancelled.
    fn save_sharing_fee_report_csv(month: String) -> SavedFile
        as saveSharingFeeReportCsv => sharing_fee::save_sharing_fee_report_csv(app, window, desktop).await;

    // 訪問看護指示書 (別紙様式16) and 特別訪問看護指示書 (別紙様式18)
    /// The patient's drafts (last edited first) and issued orders (latest first), each with where it stands today.
    fn patient_nursing_orders(patient_id: String) -> PatientNursingOrders
        as patientNursingOrders => nursing_orders::patient_nursing_orders(desktop).await;
    /// The team's visiting nurse stations an order may go to, and whether a name may be typed instead.
    fn nursing_order_stations(patient_id: String) -> NursingOrderStations
        as nursingOrderStations => nursing_orders::nursing_order_stations(desktop).await;
    /// A new draft (`regular` or `special`), pre-filled (医師).
    fn start_nursing_order(patient_id: String, kind: String) -> NursingOrderDraft
        as startNursingOrder => nursing_orders::start_nursing_order(desktop).await;
    /// Saves whatever was typed; only a draft too large is refused.
    fn save_nursing_order_draft(draft_id: String, input: NursingOrderInput) -> NursingOrderDraft
        as saveNursingOrderDraft => nursing_orders::save_nursing_order_draft(desktop).await;
    fn get_nursing_order_draft(draft_id: String) -> NursingOrderDraft
        as getNursingOrderDraft => nursing_orders::get_nursing_order_draft(desktop).await;
    fn discard_nursing_order_draft(draft_id: String) -> ()
        as discardNursingOrderDraft => nursing_orders::discard_nursing_order_draft(desktop).await;
    /// Checks, renders and stores the order immutable, then shares it on the team timeline when it may; rejects with field errors and issues nothing.
    fn issue_nursing_order(draft_id: String) -> IssuedNursingOrder
        as issueNursingOrder => nursing_orders::issue_nursing_order(desktop).await;
    /// 「更新」: a draft of the next order, its period following this one's.
    fn renew_nursing_order(order_id: String) -> NursingOrderDraft
        as renewNursingOrder => nursing_orders::renew_nursing_order(desktop).await;
    /// 「更新しない」 (医師): the regular order ends with its period for the reason given, and its renewal reminder stops; rejects an empty reason by field and an order already renewed or ended as a conflict.
    fn end_nursing_order(order_id: String, reason: String) -> NursingOrder
        as endNursingOrder => nursing_orders::end_nursing_order(desktop).await;
    /// Opens the issued order in the system's PDF viewer, to print it.
    fn open_nursing_order_pdf(order_id: String) -> ()
        as openNursingOrderPdf => nursing_orders::open_nursing_order_pdf(desktop).await;
    /// Opens the OS save dialog; `path` is null when the user cancelled.
    fn save_nursing_order_pdf(order_id: String) -> SavedFile
        as saveNursingOrderPdf => nursing_orders::save_nursing_order_pdf(app, window, desktop).await;

    // consents
    /// The patient's consents to share with the region, newest first.
    fn patient_consents(patient_id: String) -> Vec<Consent>
        as patientConsents => consents::patient_consents(desktop).await;
    /// The hospitals the consent form offers for 事前登録 (registered, not stopped), by name.
    fn preregistration_hospitals() -> Vec<RegionalHospital>
        as preregistrationHospitals => consents::preregistration_hospitals(desktop).await;
    /// Records a consent (consentId null) or changes or withdraws one.
    fn save_consent(patient_id: String, consent_id: Option<String>, input: ConsentInput) -> Consent
        as saveConsent => consents::save_consent(desktop).await;
    /// Opens the 同意書 in the system viewer, to print.
    fn open_consent_form(consent_id: String) -> ()
        as openConsentForm => consents::open_consent_form(desktop).await;
    /// Saves the 同意書 where the user picks; `path` is null when cancelled.
    fn save_consent_form(consent_id: String) -> SavedFile
        as saveConsentForm => consents::save_consent_form(app, window, desktop).await;
}

#[cfg(test)]
mod tests {
    use super::COMMANDS;

    const COMMANDS_TS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api/commands.ts");

    /// The UI's wrappers must be the ones generated from the table.
    #[test]
    fn ipc_bindings_commands_are_current() {
        let generated = crate::ipc::typescript_commands();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(COMMANDS_TS, &generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(COMMANDS_TS).unwrap_or_default();
        assert!(
            current == generated,
            "ui/src/api/commands.ts is stale: run `make bindings` and commit the result"
        );
    }

    /// build.rs reads the table as text, for the permissions: it must find
    /// the commands the macro declares, in the same order.
    #[test]
    fn ipc_commands_build_rs_reads_the_table() {
        let declared: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        let read = crate::command_names::command_names(include_str!("mod.rs"));
        assert!(
            read == declared,
            "build.rs reads the commands {read:?} from src-tauri/commands/mod.rs, but the table \
             declares {declared:?}: keep each entry's `fn name(` at the start of a line"
        );
    }

    #[test]
    fn ipc_commands_are_named_once() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        let mut ts_names: Vec<&str> = COMMANDS.iter().map(|c| c.ts_name).collect();
        names.sort_unstable();
        ts_names.sort_unstable();
        for list in [names, ts_names] {
            for pair in list.windows(2) {
                assert!(pair[0] != pair[1], "{} is declared twice", pair[0]);
            }
        }
    }

    /// The main window is granted the set build.rs writes from the table,
    /// and nothing else (no events, file system, shell or HTTP).
    #[test]
    fn ipc_commands_are_all_the_window_is_granted() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let granted = capability["permissions"].as_array().unwrap();
        assert_eq!(
            granted,
            &vec![serde_json::Value::from("ipc-commands")],
            "src-tauri/capabilities/default.json must grant \"ipc-commands\" and nothing else"
        );
    }
}
