// The only module that talks to the Rust backend. Components import from here and
// never from @tauri-apps/api. One function per command is generated into
// ./commands.ts from the command table in src-tauri/commands/mod.rs (run
// `make bindings`); each goes through `call` below.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AppError, ErrorCode, FieldError } from "./bindings";

export type {
  CareSummary,
  CareSummaryInput,
  SavedCareSummary,
  SharingFeeCheck,
  SharingFeeInput,
  SharingFeeRecord,
  SharingFeeReport,
  SharingFeeReportRow,
  IssuedNursingOrder,
  NursingOrder,
  NursingOrderDiagnosis,
  NursingOrderDraft,
  NursingOrderForm,
  NursingOrderInput,
  NursingOrderStation,
  NursingOrderStations,
  PatientNursingOrders,
  Acp,
  AcpHistory,
  AcpInput,
  AcpParticipantInput,
  EnrollInput,
  SyncStatus,
  BackupStatus,
  SyncState,
  SyncConflict,
  SyncReport,
  Consent,
  ConsentInput,
  RegionalHospital,
  Board,
  BoardFilter,
  BoardRow,
  ChosenFile,
  ChosenBackup,
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
  Worklist,
  WorklistItem,
  FieldError,
  IssuedLetter,
  LetterDraft,
  LabRowDraft,
  LetterDraftContent,
  LetterKind,
  PatientLetters,
  SavedFile,
  SavedWithFhir,
  Patient,
  PatientInput,
  PatientSummary,
  SearchResult,
  Sex,
  StartupState,
  Session,
  SignedInAccount,
  Account,
  AccountInput,
  ConferenceInput,
  ConferenceInvitable,
  ConferenceInvitee,
  DirectoryBeds,
  DirectoryListing,
  DirectoryOffer,
  DirectoryOrganisation,
  DirectoryResults,
  DirectorySearchInput,
  DischargeRequest,
  FamilyContactInput,
  IntakeFormStart,
  IntakeInput,
  IntakeRequest,
  InviteInput,
  PostInput,
  Team,
  TeamAttachment,
  TeamBadge,
  TeamConference,
  TeamConferences,
  TeamEntry,
  TeamHistoryLine,
  TeamMember,
  TeamPanel,
  TeamReceipt,
  TeamTimeline,
  TeamVitals,
  VitalsInput,
} from "./bindings";

export * from "./commands";

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
  store_file_missing: true,
  keyring_unavailable: true,
  network: true,
  signed_out: true,
  locked: true,
  forbidden: true,
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

type SessionLostListener = (code: "locked" | "signed_out") => void;
const sessionLostListeners = new Set<SessionLostListener>();

/**
 * Called when any command is refused because the app locked (idle) or no one is
 * signed in: the window then shows the lock or sign-in screen. Returns the unsubscribe.
 */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/** Invokes a command; a rejection becomes an ApiError. The wrappers in ./commands.ts use it. */
export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    const error = toApiError(reason);
    if (error.code === "locked" || error.code === "signed_out") {
      const code = error.code;
      sessionLostListeners.forEach((listener) => {
        listener(code);
      });
    }
    throw error;
  }
}
