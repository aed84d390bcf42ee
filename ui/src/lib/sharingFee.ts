import type { SharingFeeInput, SharingFeeRecord, SharingFeeReportRow } from "../api";

/** The labels of the form's fields by the server's keys. */
export const SHARING_FEE_LABELS = {
  month: "対象月",
  nextVisit: "次回の訪問診療の予定日",
  policyChanged: "治療方針の変更",
  changeSummary: "変更の概要",
  carePoints: "医療・ケアを行う際の留意点",
} as const;

/** `YYYY-MM` of the month `now` falls in, in Japan time: the fee is counted by the clinic's month, whatever the PC's zone. */
export function japanMonth(now: Date): string {
  const japan = new Date(now.getTime() + 9 * 60 * 60 * 1000);
  const month = String(japan.getUTCMonth() + 1).padStart(2, "0");
  return `${String(japan.getUTCFullYear())}-${month}`;
}

/** The month before `YYYY-MM` (the report usually checks the month just ended). */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  if (y === undefined || m === undefined || Number.isNaN(y) || Number.isNaN(m)) return month;
  return m === 1 ? `${String(y - 1)}-12` : `${String(y)}-${String(m - 1).padStart(2, "0")}`;
}

/**
 * The form for `month`: the month's counting record to record again (a new version),
 * or else a fresh one carrying over the latest care points (they rarely change from
 * month to month). The next visit and whether the policy changed are always asked
 * again for a new month: never carried over as if answered.
 */
export function sharingFeeInput(records: readonly SharingFeeRecord[], month: string): SharingFeeInput {
  const thisMonth = records.find((r) => r.month === month && r.counts);
  if (thisMonth !== undefined) {
    return {
      month,
      nextVisit: thisMonth.nextVisit,
      policyChanged: thisMonth.policyChanged,
      changeSummary: thisMonth.changeSummary,
      carePoints: thisMonth.carePoints,
    };
  }
  return { month, nextVisit: "", policyChanged: null, changeSummary: "", carePoints: records[0]?.carePoints ?? "" };
}

/** The records that count (one a month), newest month first, and the earlier versions. */
export function splitRecords(records: readonly SharingFeeRecord[]): { counting: SharingFeeRecord[]; earlier: SharingFeeRecord[] } {
  return { counting: records.filter((r) => r.counts), earlier: records.filter((r) => !r.counts) };
}

/** 「あり：利尿薬を増量」 or 「なし」. */
export function policyText(record: SharingFeeRecord): string {
  return record.policyChanged ? `あり：${record.changeSummary}` : "なし";
}

/** What the report says a row misses, or 「充足」. */
export function missingText(row: SharingFeeReportRow): string {
  const missing = row.checks.filter((c) => !c.met).map((c) => c.label);
  return missing.length === 0 ? "充足" : missing.join("、");
}

/** 「2件（既読2・確認1）」: the others' posts in the month as the report shows them. */
export function othersText(row: SharingFeeReportRow): string {
  if (row.othersPosts === 0) return "なし";
  return `${String(row.othersPosts)}件（既読${String(row.othersRead)}・確認${String(row.othersAcknowledged)}）`;
}
