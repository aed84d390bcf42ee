// Generated from the Rust IPC types (src-tauri/ipc.rs) by ts-rs.
// Do not edit by hand: run `make bindings`.

export type Sex = "male" | "female" | "other";

export type ClinicProfile = { name: string, 
/**
 * Empty when the clinic has not entered one.
 */
institutionCode: string, postalCode: string, address: string, phone: string, fax: string, doctorName: string, };

export type PatientInput = { name: string, kana: string, birthDate: string, sex: Sex | null, address: string, phone: string, keyPersonName: string, keyPersonRelation: string, keyPersonPhone: string, chartNumber: string, memo: string, };

export type Patient = { id: string, name: string, kana: string, 
/**
 * ISO 8601 date, e.g. 1950-04-01.
 */
birthDate: string, 
/**
 * e.g. 昭和25年4月1日
 */
birthDateWareki: string, 
/**
 * e.g. 昭和25年4月1日（76歳）
 */
birthDateDisplay: string, age: number, sex: Sex, address: string, phone: string, keyPersonName: string, keyPersonRelation: string, keyPersonPhone: string, chartNumber: string | null, memo: string, deleted: boolean, createdAt: string, updatedAt: string, };

export type PatientSummary = { id: string, name: string, kana: string, birthDate: string, birthDateDisplay: string, sex: Sex, chartNumber: string | null, deleted: boolean, };

export type SearchResult = { patients: Array<PatientSummary>, 
/**
 * How many match in all; `patients` holds at most 100 of them.
 */
total: number, 
/**
 * More than `total` match: counting stopped there (shown as 「1,000件以上」).
 */
totalCapped: boolean, };

export type BirthDatePreview = { iso: string, display: string, };

export type ErrorCode = "validation" | "not_found" | "store_unavailable" | "store_key_missing" | "store_key_wrong" | "keyring_unavailable" | "internal";

export type FieldError = { field: string, message: string, };

export type AppError = { code: ErrorCode, message: string, fields: Array<FieldError>, };

export type StartupState = { "status": "ready", clinic: ClinicProfile | null, dataDir: string, } | { "status": "failed", error: AppError, dataDir: string, };
