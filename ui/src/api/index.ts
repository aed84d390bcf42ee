// The only module that talks to the Rust backend. Components import from here and
// never from @tauri-apps/api, so the IPC surface can be read (and later checked
// against the generated bindings) in one place.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  AppError,
  BirthDatePreview,
  ClinicProfile,
  Destination,
  Destinations,
  ErrorCode,
  EventInput,
  FieldError,
  IssuedLetter,
  LetterDraft,
  LetterDraftContent,
  LetterKind,
  Patient,
  PatientInput,
  PatientLetters,
  PatientReferrals,
  Referral,
  SavedFile,
  SearchResult,
  StartupState,
  WorklistItem,
  Board,
  BoardFilter,
  ChosenFile,
  FiguresPeriod,
  LoopFigures,
  ReplyInput,
  WorklistSettings,
  EnrollInput,
  SyncStatus,
  SyncState,
  SyncConflict,
  SyncReport,
  Consent,
  ConsentInput,
} from "./bindings";

export type {
  EnrollInput,
  SyncStatus,
  SyncState,
  SyncConflict,
  SyncReport,
  Consent,
  ConsentInput,
  Board,
  BoardFilter,
  BoardRow,
  ChosenFile,
  FigureRow,
  FiguresPeriod,
  LoopFigures,
  Reply,
  ReplyInput,
  WorklistSettings,
  AppError,
  BirthDatePreview,
  ClinicProfile,
  Destination,
  Destinations,
  ErrorCode,
  EventInput,
  PatientReferrals,
  Referral,
  ReferralEvent,
  WorklistItem,
  FieldError,
  IssuedLetter,
  LetterDraft,
  LetterDraftContent,
  LetterKind,
  PatientLetters,
  Patient,
  PatientInput,
  PatientSummary,
  SearchResult,
  Sex,
  StartupState,
} from "./bindings";

const GENERIC_MESSAGE =
  "予期しないエラーが発生しました。もう一度お試しください。繰り返し起きる場合はアプリを再起動してください。";

// A Record keyed by ErrorCode makes the compiler flag this list when the Rust enum
// (and so the generated union) gains a code.
const ERROR_CODES: Record<ErrorCode, true> = {
  validation: true,
  not_found: true,
  conflict: true,
  store_unavailable: true,
  store_key_missing: true,
  store_key_wrong: true,
  keyring_unavailable: true,
  network: true,
  internal: true,
};

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: readonly FieldError[];

  constructor(code: ErrorCode, message: string, fields: readonly FieldError[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = "ApiError";
    this.code = code;
    this.fields = fields;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value.field === "string" && typeof value.message === "string";
}

export function isAppError(value: unknown): value is AppError {
  return (
    isRecord(value) &&
    isErrorCode(value.code) &&
    typeof value.message === "string" &&
    Array.isArray(value.fields) &&
    value.fields.every(isFieldError)
  );
}

/** Turns whatever a rejected call produced into an ApiError the UI can show. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) {
    return reason;
  }
  if (isAppError(reason)) {
    return new ApiError(reason.code, reason.message, reason.fields);
  }
  // Anything else (IPC failure, a panic string, running outside Tauri) has no message
  // fit for clinic staff; keep it as the cause for debugging only.
  return new ApiError("internal", GENERIC_MESSAGE, [], { cause: reason });
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}

export function getStartupState(): Promise<StartupState> {
  return call("get_startup_state");
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

/** The morning worklist (要確認): referrals that need the physician. New items are also announced by a desktop notification. */
export function getWorklist(): Promise<WorklistItem[]> {
  return call("worklist");
}

/** Takes an item off the worklist for good; the reason is kept. */
export function dismissWorklistItem(referralId: string, key: string, reason: string): Promise<WorklistItem[]> {
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
export function getSyncConflicts(): Promise<SyncConflict[]> {
  return call("sync_conflicts");
}

/** The patient's consents to share with the region, newest first. */
export function patientConsents(patientId: string): Promise<Consent[]> {
  return call("patient_consents", { patientId });
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
