import type { ApiError, FieldError, Sex } from "../api";

export const SEX_LABELS: Record<Sex, string> = {
  male: "男性",
  female: "女性",
  other: "その他",
};

const countFormat = new Intl.NumberFormat("ja-JP");

export function formatCount(n: number): string {
  return countFormat.format(n);
}

const dateTimeFormat = new Intl.DateTimeFormat("ja-JP", {
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** RFC 3339 from the backend to local wall-clock time; unparsable input is shown as is. */
export function formatDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : dateTimeFormat.format(date);
}

export type FieldErrors = Partial<Record<string, string>>;

/** The backend may report several problems for one field; the first is the one to fix first. */
export function toFieldErrors(fields: readonly FieldError[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of fields) {
    errors[field] ??= message;
  }
  return errors;
}

/** One line for an error shown away from a form: the first field's message, else the error's own. */
export function firstErrorMessage(error: ApiError): string {
  return Object.values(toFieldErrors(error.fields))[0] ?? error.message;
}
