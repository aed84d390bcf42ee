// Generated from the IPC command table (src-tauri/commands/mod.rs).
// Do not edit by hand: run `make bindings`.

import type {
  Account,
  AccountInput,
  AcpHistory,
  AcpInput,
  BackupStatus,
  BirthDatePreview,
  Board,
  BoardFilter,
  CareSummary,
  CareSummaryInput,
  ChosenBackup,
  ChosenFile,
  ClinicProfile,
  ConferenceInput,
  Consent,
  ConsentInput,
  Destination,
  Destinations,
  DirectoryOrganisation,
  DirectoryResults,
  DirectorySearchInput,
  DischargeRequest,
  EnrollInput,
  EventInput,
  FamilyContactInput,
  FiguresPeriod,
  IntakeFormStart,
  IntakeInput,
  IntakeRequest,
  InviteInput,
  IssuedLetter,
  IssuedNursingOrder,
  LetterDraft,
  LetterDraftContent,
  LetterKind,
  LoopFigures,
  NursingOrder,
  NursingOrderDraft,
  NursingOrderInput,
  NursingOrderStations,
  Patient,
  PatientInput,
  PatientLetters,
  PatientNursingOrders,
  PatientReferrals,
  PostInput,
  RecordedAcp,
  Referral,
  RegionalHospital,
  ReplyInput,
  SavedCareSummary,
  SavedFile,
  SavedWithFhir,
  SearchResult,
  Session,
  SharingFeeInput,
  SharingFeeRecord,
  SharingFeeReport,
  StartupState,
  SyncConflict,
  SyncReport,
  SyncState,
  SyncStatus,
  TeamBadge,
  TeamConferences,
  TeamPanel,
  TeamTimeline,
  Worklist,
  WorklistSettings,
} from "./bindings";
import { call } from "./index";

export function getStartupState(): Promise<StartupState> {
  return call("get_startup_state");
}

/** 新しく始める: creates the empty store on a PC that has none. */
export function startNewStore(): Promise<StartupState> {
  return call("start_new_store");
}

/** Opens the OS file dialog for a backup; null when cancelled. */
export function chooseBackupFile(): Promise<ChosenBackup | null> {
  return call("choose_backup_file");
}

/** Restores the chosen backup with the recovery passphrase; nothing changes when it is refused. */
export function restoreFromBackup(backup: string, passphrase: string): Promise<StartupState> {
  return call("restore_from_backup", { backup, passphrase });
}

/** Which screen to show: the first administrator, sign-in, the lock screen or the app. */
export function getSession(): Promise<Session> {
  return call("session");
}

/** The first start's administrator (only while there is no account); signs them in. */
export function createFirstAccount(input: AccountInput): Promise<Session> {
  return call("create_first_account", { input });
}

export function signIn(login: string, password: string): Promise<Session> {
  return call("sign_in", { login, password });
}

/** Unlocks with the PIN or the password of the account that locked. */
export function unlock(secret: string): Promise<Session> {
  return call("unlock", { secret });
}

/** ロック: patient data hidden until the account unlocks; syncing goes on. */
export function lockNow(): Promise<Session> {
  return call("lock_now");
}

export function signOut(): Promise<Session> {
  return call("sign_out");
}

/** The user is at work in the window; rejects with "locked" once the app has locked. */
export function stillHere(): Promise<void> {
  return call("still_here");
}

export function changePassword(oldPassword: string, newPassword: string): Promise<Session> {
  return call("change_password", { oldPassword, newPassword });
}

/** Sets the unlock PIN (4–8 digits), or removes it with null. */
export function setPin(pin: string | null): Promise<Session> {
  return call("set_pin", { pin });
}

/** The administrator's list of the clinic's accounts. */
export function listAccounts(): Promise<Array<Account>> {
  return call("list_accounts");
}

/** Adds an account with a temporary password, to be changed at its first sign-in. */
export function addAccount(input: AccountInput): Promise<Array<Account>> {
  return call("add_account", { input });
}

/** A forgotten password: the administrator sets a temporary one. */
export function resetPassword(accountId: string, temporaryPassword: string): Promise<Array<Account>> {
  return call("reset_password", { accountId, temporaryPassword });
}

/** Disables or enables an account; never one's own or the last administrator. */
export function setAccountDisabled(accountId: string, disabled: boolean): Promise<Array<Account>> {
  return call("set_account_disabled", { accountId, disabled });
}

/** The idle time before the app locks (1–120 minutes; the administrator's). */
export function setLockMinutes(minutes: number): Promise<Session> {
  return call("set_lock_minutes", { minutes });
}

export function saveClinicProfile(profile: ClinicProfile): Promise<ClinicProfile> {
  return call("save_clinic_profile", { profile });
}

/** An empty query lists patients by kana; at most 100 rows, `total` is the full count. */
export function searchPatients(query: string, includeDeleted: boolean): Promise<SearchResult> {
  return call("search_patients", { query, includeDeleted });
}

export function getPatient(id: string): Promise<Patient> {
  return call("get_patient", { id });
}

export function createPatient(input: PatientInput): Promise<Patient> {
  return call("create_patient", { input });
}

export function updatePatient(id: string, input: PatientInput): Promise<Patient> {
  return call("update_patient", { id, input });
}

/** Soft delete: the patient stays in the store and can be restored. */
export function deletePatient(id: string): Promise<Patient> {
  return call("delete_patient", { id });
}

export function restorePatient(id: string): Promise<Patient> {
  return call("restore_patient", { id });
}

/** Rejects with code "validation" and a message saying what is wrong with the input. */
export function previewBirthDate(input: string): Promise<BirthDatePreview> {
  return call("preview_birth_date", { input });
}

export function startLetter(patientId: string, kind: LetterKind): Promise<LetterDraft> {
  return call("start_letter", { patientId, kind });
}

/** Saves whatever was typed; only a draft too large for the store is refused. */
export function saveLetterDraft(draftId: string, content: LetterDraftContent): Promise<LetterDraft> {
  return call("save_letter_draft", { draftId, content });
}

/** 「CSVから読み込む」: opens the OS file dialog for a lab CSV (UTF-8 or Shift_JIS) and adds its rows to the draft's 検査結果; null when cancelled. A file with any bad line is refused whole (field errors on labResults, one a line) and the draft is unchanged. */
export function importLabCsv(draftId: string): Promise<LetterDraft | null> {
  return call("import_lab_csv", { draftId });
}

export function getLetterDraft(draftId: string): Promise<LetterDraft> {
  return call("get_letter_draft", { draftId });
}

export function discardLetterDraft(draftId: string): Promise<void> {
  return call("discard_letter_draft", { draftId });
}

export function patientLetters(patientId: string): Promise<PatientLetters> {
  return call("patient_letters", { patientId });
}

/** Renders, stores and (for a referral) opens the referral; rejects with field errors. */
export function issueLetter(draftId: string): Promise<IssuedLetter> {
  return call("issue_letter", { draftId });
}

/** A new draft holding the issued letter's content, to be issued as its next version. */
export function correctLetter(letterId: string): Promise<LetterDraft> {
  return call("correct_letter", { letterId });
}

export function letterDestinations(): Promise<Destinations> {
  return call("letter_destinations");
}

export function setFavouriteDestination(destination: Destination, favourite: boolean): Promise<Destinations> {
  return call("set_favourite_destination", { destination, favourite });
}

/** Opens the OS save dialog; `path` is null when the user cancelled. */
export function saveLetterPdf(letterId: string): Promise<SavedFile> {
  return call("save_letter_pdf", { letterId });
}

/** Opens the issued PDF in the system's PDF viewer, to print it. */
export function openLetterPdf(letterId: string): Promise<void> {
  return call("open_letter_pdf", { letterId });
}

/** 「PDF＋FHIRを保存」: one save dialog for the PDF; its JP-CLINS FHIR document (JSON, the PDF inside) is written beside it under the same name. Rejects with a field error on institutionCode, before the dialog, when the clinic has no usable 医療機関コード; both paths are null when cancelled. */
export function saveLetterWithFhir(letterId: string): Promise<SavedWithFhir> {
  return call("save_letter_with_fhir", { letterId });
}

/** Where the patient is now, and their referrals (newest first) with their history. */
export function getPatientReferrals(patientId: string): Promise<PatientReferrals> {
  return call("patient_referrals", { patientId });
}

/** A page of the referral board, filtered and ordered; overdue rows are flagged. */
export function referralBoard(filter: BoardFilter): Promise<Board> {
  return call("referral_board", { filter });
}

/** Rejects with a message when the status machine does not allow the event. */
export function recordReferralEvent(referralId: string, input: EventInput): Promise<Referral> {
  return call("record_referral_event", { referralId, input });
}

/** Marks an entry as entered in error; it stays in the history. */
export function voidReferralEvent(referralId: string, eventId: string, reason: string): Promise<Referral> {
  return call("void_referral_event", { referralId, eventId, reason });
}

/**
 * The morning worklist (要確認): referrals that need the physician. New items are also announced by a desktop notification.
 * The newest items (at most 100) and how many there are.
 */
export function getWorklist(): Promise<Worklist> {
  return call("worklist");
}

/** Takes an item off the worklist for good; the reason is kept. */
export function dismissWorklistItem(referralId: string, key: string, reason: string): Promise<Worklist> {
  return call("dismiss_worklist_item", { referralId, key, reason });
}

/** The worklist's thresholds (days to acknowledgement, days to a reply letter). */
export function getWorklistSettings(): Promise<WorklistSettings> {
  return call("worklist_settings");
}

export function saveWorklistSettings(settings: WorklistSettings): Promise<WorklistSettings> {
  return call("save_worklist_settings", { settings });
}

/** Opens the OS file dialog for a reply's scan; null when cancelled. Rejects a wrong type or size. */
export function chooseReplyAttachment(): Promise<ChosenFile | null> {
  return call("choose_reply_attachment");
}

/** Records a reply letter (with the chosen scan's token, if any). */
export function recordReply(referralId: string, input: ReplyInput, attachment: string | null): Promise<Referral> {
  return call("record_reply", { referralId, input, attachment });
}

/** Opens a reply's scan in the system viewer. */
export function openReplyAttachment(replyId: string): Promise<void> {
  return call("open_reply_attachment", { replyId });
}

/** 連携の実績 for referrals sent in the period. */
export function loopFigures(period: FiguresPeriod): Promise<LoopFigures> {
  return call("loop_figures", { period });
}

/** Saves the figures as CSV where the user picks; `path` is null when cancelled. */
export function saveLoopFiguresCsv(period: FiguresPeriod): Promise<SavedFile> {
  return call("save_loop_figures_csv", { period });
}

/** 最終バックアップ, the folder, whether the recovery passphrase is set, and why backups need attention. */
export function getBackupStatus(): Promise<BackupStatus> {
  return call("backup_status");
}

/** Sets the recovery passphrase once (at least 12 characters); it is not kept, only the key derived from it. */
export function setBackupPassphrase(passphrase: string): Promise<BackupStatus> {
  return call("set_backup_passphrase", { passphrase });
}

/** Opens the OS folder dialog; the status is unchanged when cancelled. */
export function chooseBackupFolder(): Promise<BackupStatus> {
  return call("choose_backup_folder");
}

/** Backs up now to the chosen folder. */
export function backupNow(): Promise<BackupStatus> {
  return call("backup_now");
}

/** A new recovery passphrase (the administrator's), the current one checked first. */
export function changeBackupPassphrase(currentPassphrase: string, passphrase: string): Promise<BackupStatus> {
  return call("change_backup_passphrase", { currentPassphrase, passphrase });
}

/** Opens the 復旧シート to print: with the passphrase on it when given (checked first), else a box to write it in. */
export function openRecoverySheet(passphrase: string | null): Promise<void> {
  return call("open_recovery_sheet", { passphrase });
}

/** This install's enrollment with the regional server, or null before it. */
export function getSyncStatus(): Promise<SyncStatus | null> {
  return call("sync_status");
}

/** Trades the desk's one-time code for this device's credential (kept in the OS keyring). */
export function enrollDevice(input: EnrollInput): Promise<SyncStatus> {
  return call("enroll_device", { input });
}

/** Asks the server who this device is; resolves with the organisation's name. */
export function checkConnection(): Promise<string> {
  return call("check_connection");
}

/** 最終同期 and the changes not yet sent; null before enrollment. */
export function getSyncState(): Promise<SyncState | null> {
  return call("sync_state");
}

/** 今すぐ同期: one exchange with the server now. */
export function syncNow(): Promise<SyncReport> {
  return call("sync_now");
}

/** Changes the server refused, newest first. */
export function getSyncConflicts(): Promise<Array<SyncConflict>> {
  return call("sync_conflicts");
}

/** The first results answering the form (those taking new patients first) and how many in all. */
export function searchDirectory(query: DirectorySearchInput): Promise<DirectoryResults> {
  return call("search_directory", { query });
}

/** Every 市区町村 the directory's organisations serve, for suggestions. */
export function directoryMunicipalities(): Promise<Array<string>> {
  return call("directory_municipalities");
}

/** The 市区町村 of an address (the patient's, as shown) that the directory knows; null if none. */
export function directoryAreaOf(address: string): Promise<string | null> {
  return call("directory_area_of", { address });
}

/** The form as it opens: empty, or from a patient (age, sex, the address's 市区町村); the summary's hint. */
export function intakeForm(patientId: string | null): Promise<IntakeFormStart> {
  return call("intake_form", { patientId });
}

/** Sends the request (checked field by field; waits in the outbox when offline). The patient stays on this PC. */
export function sendIntake(patientId: string | null, toOrg: string, input: IntakeInput): Promise<IntakeRequest> {
  return call("send_intake", { patientId, toOrg, input });
}

/** Every request sent and asked, newest first. */
export function intakes(): Promise<Array<IntakeRequest>> {
  return call("intakes");
}

/** `accept`, `decline` (reason in `text`, required) or `consult`: the doctor's answer to a request asked of the clinic. Rejects with code "conflict" when it was already answered or withdrawn. */
export function answerIntake(requestId: string, answer: string, text: string): Promise<IntakeRequest> {
  return call("answer_intake", { requestId, answer, text });
}

/** Withdraws a request the clinic sent, while it waits for its answer. */
export function withdrawIntake(requestId: string): Promise<IntakeRequest> {
  return call("withdraw_intake", { requestId });
}

/** The patient's team panel (null team before 「チームを作る」). */
export function patientTeam(patientId: string): Promise<TeamPanel> {
  return call("patient_team", { patientId });
}

/** 「チームを作る」: only under a consent naming the team. */
export function startTeam(patientId: string): Promise<TeamPanel> {
  return call("start_team", { patientId });
}

/** The organisations the clinic may invite, of every kind. */
export function teamDirectory(): Promise<Array<DirectoryOrganisation>> {
  return call("team_directory");
}

export function inviteToTeam(teamId: string, input: InviteInput): Promise<TeamPanel> {
  return call("invite_to_team", { teamId, input });
}

/** `resend`, `cancel` or `remove`, where the member's state allows it. */
export function teamMemberAction(teamId: string, memberId: string, action: string): Promise<TeamPanel> {
  return call("team_member_action", { teamId, memberId, action });
}

export function addFamilyContact(teamId: string, input: FamilyContactInput): Promise<TeamPanel> {
  return call("add_family_contact", { teamId, input });
}

/** Makes a member the first contact for a topic (e.g. night_and_holiday). */
export function setFirstContact(teamId: string, memberId: string, topic: string): Promise<TeamPanel> {
  return call("set_first_contact", { teamId, memberId, topic });
}

export function teamTimeline(teamId: string): Promise<TeamTimeline> {
  return call("team_timeline", { teamId });
}

/** The timeline was shown: the entries by others not yet read are marked read. */
export function markTeamRead(teamId: string): Promise<void> {
  return call("mark_team_read", { teamId });
}

/** Opens the OS file dialog for a photo or a PDF; null when cancelled. Rejects a wrong type, name or size. */
export function chooseTeamAttachment(): Promise<ChosenFile | null> {
  return call("choose_team_attachment");
}

/** Posts (with the chosen files' tokens); waits in the outbox when offline. */
export function postToTeam(teamId: string, input: PostInput, attachments: Array<string>): Promise<TeamTimeline> {
  return call("post_to_team", { teamId, input, attachments });
}

/** 「確認しました」 */
export function acknowledgeTeamEntry(teamId: string, entryId: string): Promise<TeamTimeline> {
  return call("acknowledge_team_entry", { teamId, entryId });
}

/** Ends a 相談・依頼. */
export function closeTeamRequest(teamId: string, entryId: string): Promise<TeamTimeline> {
  return call("close_team_request", { teamId, entryId });
}

export function openTeamAttachment(attachmentId: string): Promise<void> {
  return call("open_team_attachment", { attachmentId });
}

export function saveTeamAttachment(attachmentId: string): Promise<SavedFile> {
  return call("save_team_attachment", { attachmentId });
}

/** Unread entries and open 相談 across the clinic's teams, for the header. */
export function teamBadge(): Promise<TeamBadge> {
  return call("team_badge");
}

/** The team's 退院時カンファレンス with their invitees and answers, and what the account may do. */
export function teamConferences(teamId: string): Promise<TeamConferences> {
  return call("team_conferences", { teamId });
}

/** 「カンファレンスを設定する」 (医師): rejects with field errors (date, time, link, invitees) or the domain's message; waits in the outbox when offline. */
export function scheduleConference(teamId: string, input: ConferenceInput): Promise<TeamConferences> {
  return call("schedule_conference", { teamId, input });
}

/** The clinic's answer to its invitation: `attend`, `online` or `absent`, until the conference starts. */
export function answerConference(conferenceId: string, attendance: string): Promise<TeamConferences> {
  return call("answer_conference", { conferenceId, attendance });
}

/** 中止にする (医師). */
export function cancelConference(conferenceId: string): Promise<TeamConferences> {
  return call("cancel_conference", { conferenceId });
}

/** The requests waiting for the physician (open, or answered here and not yet confirmed), the nearest reply-by day first. */
export function dischargeRequestsWaiting(): Promise<Array<DischargeRequest>> {
  return call("discharge_requests_waiting");
}

/** Every request about the patient, with its state, newest first. */
export function patientDischargeRequests(patientId: string): Promise<Array<DischargeRequest>> {
  return call("patient_discharge_requests", { patientId });
}

/** `accept`, `decline` (reason in `text`, required) or `consult` (optional text); waits in the outbox when offline. Rejects with code "conflict" when the request was already answered, cancelled or expired. */
export function answerDischargeRequest(requestId: string, answer: string, text: string): Promise<DischargeRequest> {
  return call("answer_discharge_request", { requestId, answer, text });
}

/** The patient's 人生会議 records, the current wishes first, and whether they are due for review (医師・看護師). */
export function patientAcp(patientId: string): Promise<AcpHistory> {
  return call("patient_acp", { patientId });
}

/** Records one conversation's wishes as a new signed version (医師・看護師) and posts them on the team's timeline when its consent stands; rejects with field errors and keeps nothing. */
export function recordAcp(patientId: string, input: AcpInput): Promise<RecordedAcp> {
  return call("record_acp", { patientId, input });
}

/** Saves the current wishes as a FHIR Consent (JSON) where the user picks; rejects before the dialog when there is no record or no usable 医療機関コード; `path` is null when cancelled. */
export function saveAcpFhir(patientId: string): Promise<SavedFile> {
  return call("save_acp_fhir", { patientId });
}

/** The patient's summary (医師・看護師), null until someone fills it in. */
export function patientCareSummary(patientId: string): Promise<CareSummary | null> {
  return call("patient_care_summary", { patientId });
}

/** Saves the summary as a new signed version (医師・看護師), with the team's pinned copy when its consent stands; rejects with field errors and keeps nothing. */
export function saveCareSummary(patientId: string, input: CareSummaryInput): Promise<SavedCareSummary> {
  return call("save_care_summary", { patientId, input });
}

/** Opens the 救急医療情報 (summary, current 人生会議 wishes, contacts) in the system viewer, to print. */
export function openEmergencySheet(patientId: string): Promise<void> {
  return call("open_emergency_sheet", { patientId });
}

/** Saves the 救急医療情報 where the user picks; `path` is null when cancelled. */
export function saveEmergencySheet(patientId: string): Promise<SavedFile> {
  return call("save_emergency_sheet", { patientId });
}

/** The patient's monthly records, newest month first and the counting version first within a month (医師・看護師 read). */
export function patientSharingFee(patientId: string): Promise<Array<SharingFeeRecord>> {
  return call("patient_sharing_fee", { patientId });
}

/** Records the month's items as a new signed version (医師) and shares them on the team's timeline, in one write, when its consent stands; rejects with field errors and keeps nothing. */
export function recordSharingFee(patientId: string, input: SharingFeeInput): Promise<SharingFeeRecord> {
  return call("record_sharing_fee", { patientId, input });
}

/** The month's report (`YYYY-MM`, not in the future): every home-care patient with each requirement met or missing. */
export function sharingFeeReport(month: string): Promise<SharingFeeReport> {
  return call("sharing_fee_report", { month });
}

/** Saves the month's report as CSV for Excel where the user picks; a refused month is said before the dialog; `path` is null when cancelled. */
export function saveSharingFeeReportCsv(month: string): Promise<SavedFile> {
  return call("save_sharing_fee_report_csv", { month });
}

/** The patient's drafts (last edited first) and issued orders (latest first), each with where it stands today. */
export function patientNursingOrders(patientId: string): Promise<PatientNursingOrders> {
  return call("patient_nursing_orders", { patientId });
}

/** The team's visiting nurse stations an order may go to, and whether a name may be typed instead. */
export function nursingOrderStations(patientId: string): Promise<NursingOrderStations> {
  return call("nursing_order_stations", { patientId });
}

/** A new draft (`regular` or `special`), pre-filled (医師). */
export function startNursingOrder(patientId: string, kind: string): Promise<NursingOrderDraft> {
  return call("start_nursing_order", { patientId, kind });
}

/** Saves whatever was typed; only a draft too large is refused. */
export function saveNursingOrderDraft(draftId: string, input: NursingOrderInput): Promise<NursingOrderDraft> {
  return call("save_nursing_order_draft", { draftId, input });
}

export function getNursingOrderDraft(draftId: string): Promise<NursingOrderDraft> {
  return call("get_nursing_order_draft", { draftId });
}

export function discardNursingOrderDraft(draftId: string): Promise<void> {
  return call("discard_nursing_order_draft", { draftId });
}

/** Checks, renders and stores the order immutable, then shares it on the team timeline when it may; rejects with field errors and issues nothing. */
export function issueNursingOrder(draftId: string): Promise<IssuedNursingOrder> {
  return call("issue_nursing_order", { draftId });
}

/** 「更新」: a draft of the next order, its period following this one's. */
export function renewNursingOrder(orderId: string): Promise<NursingOrderDraft> {
  return call("renew_nursing_order", { orderId });
}

/** 「更新しない」 (医師): the regular order ends with its period for the reason given, and its renewal reminder stops; rejects an empty reason by field and an order already renewed or ended as a conflict. */
export function endNursingOrder(orderId: string, reason: string): Promise<NursingOrder> {
  return call("end_nursing_order", { orderId, reason });
}

/** Opens the issued order in the system's PDF viewer, to print it. */
export function openNursingOrderPdf(orderId: string): Promise<void> {
  return call("open_nursing_order_pdf", { orderId });
}

/** Opens the OS save dialog; `path` is null when the user cancelled. */
export function saveNursingOrderPdf(orderId: string): Promise<SavedFile> {
  return call("save_nursing_order_pdf", { orderId });
}

/** The patient's consents to share with the region, newest first. */
export function patientConsents(patientId: string): Promise<Array<Consent>> {
  return call("patient_consents", { patientId });
}

/** The hospitals the consent form offers for 事前登録 (registered, not stopped), by name. */
export function preregistrationHospitals(): Promise<Array<RegionalHospital>> {
  return call("preregistration_hospitals");
}

/** Records a consent (consentId null) or changes or withdraws one. */
export function saveConsent(patientId: string, consentId: string | null, input: ConsentInput): Promise<Consent> {
  return call("save_consent", { patientId, consentId, input });
}

/** Opens the 同意書 in the system viewer, to print. */
export function openConsentForm(consentId: string): Promise<void> {
  return call("open_consent_form", { consentId });
}

/** Saves the 同意書 where the user picks; `path` is null when cancelled. */
export function saveConsentForm(consentId: string): Promise<SavedFile> {
  return call("save_consent_form", { consentId });
}
