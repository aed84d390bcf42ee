import type { CareSummary, CareSummaryInput } from "../api";

/** The form: the summary's own text to change, or empty for the first. */
export function careSummaryInput(summary: CareSummary | null): CareSummaryInput {
  return summary === null
    ? { problems: "", medications: "", allergies: "", devices: "", nextVisit: "", cautions: "", afterHoursPhone: "" }
    : { ...summary.input };
}

/** The labels of the form's fields by the server's keys, for the summary at the top. */
export const CARE_SUMMARY_LABELS = {
  problems: "主な病名",
  medications: "服用中の薬",
  allergies: "アレルギー",
  devices: "医療機器・処置",
  nextVisit: "次回の訪問・受診",
  cautions: "注意すること",
  afterHoursPhone: "夜間・休日の連絡先",
} as const;

/** A list as the page shows it: 「（記録なし）」 when empty, never a blank that reads as "none". */
export function listText(items: readonly string[]): string {
  return items.length === 0 ? "（記録なし）" : items.join("、");
}

/** A text as the page shows it. */
export function valueText(text: string): string {
  return text.trim() === "" ? "（記録なし）" : text;
}

/** What saving says: whether the team's members will see it pinned on their timeline. */
export function careSummarySavedText(sharedWithTeam: boolean): string {
  return sharedWithTeam
    ? "連携サマリーを更新しました。在宅チームのタイムラインの先頭にも共有します。以前の内容も記録に残ります。"
    : "連携サマリーを更新しました。以前の内容も記録に残ります（在宅チームとチームへの共有の同意があれば、チームにも共有されます）。";
}
