import type { FieldError, LabRowDraft } from "../api";

/** The draft's field key for the 検査結果 table (errors from the CSV import and from issuing). */
export const LAB_RESULTS_KEY = "labResults";

/** Rows a letter may carry (the domain's MAX_LAB_ROWS; the app refuses more). */
export const MAX_LAB_ROWS = 200;

/** The table's columns, in the order the letter prints them. */
export type LabColumnKey = keyof LabRowDraft;

export const LAB_COLUMNS: readonly { key: LabColumnKey; label: string; placeholder: string }[] = [
  { key: "takenOn", label: "検査日", placeholder: "2026-05-08" },
  { key: "item", label: "項目", placeholder: "HbA1c" },
  { key: "value", label: "値", placeholder: "7.2" },
  { key: "unit", label: "単位", placeholder: "%" },
  { key: "referenceRange", label: "基準値", placeholder: "4.6-6.2" },
];

/** A new row: the date of the row above, since results usually come from one draw. */
export function withRowAdded(rows: readonly LabRowDraft[]): LabRowDraft[] {
  const last = rows.at(-1);
  return [...rows, { item: "", value: "", unit: "", referenceRange: "", takenOn: last?.takenOn ?? "" }];
}

export function withRowRemoved(rows: readonly LabRowDraft[], index: number): LabRowDraft[] {
  return rows.filter((_, i) => i !== index);
}

export function withCell(
  rows: readonly LabRowDraft[],
  index: number,
  key: LabColumnKey,
  value: string,
): LabRowDraft[] {
  return rows.map((row, i) => (i === index ? { ...row, [key]: value } : row));
}

/** Every message about the table, in order (each names its line or row). */
export function labMessages(fields: readonly FieldError[]): string[] {
  return fields.filter((f) => f.field === LAB_RESULTS_KEY).map((f) => f.message);
}

/** 「3件」: how many rows hold something. */
export function filledCount(rows: readonly LabRowDraft[]): number {
  return rows.filter((r) => LAB_COLUMNS.some((c) => r[c.key].trim() !== "")).length;
}
