import type { Board, BoardRow, EventInput, ReferralEvent } from "../api";
import { formatCount } from "./format";

/** The referral statuses of DESIGN.md §2, in the status machine's order, with their labels. */
export const REFERRAL_STATUSES: readonly { code: string; label: string }[] = [
  { code: "sent", label: "紹介済" },
  { code: "received", label: "受付済" },
  { code: "visited", label: "受診済" },
  { code: "admitted", label: "入院中" },
  { code: "discharge_planned", label: "退院調整中" },
  { code: "transferred", label: "転院" },
  { code: "discharged", label: "退院" },
  { code: "returned", label: "逆紹介・帰院" },
  { code: "deceased", label: "死亡" },
  { code: "closed", label: "終了" },
  { code: "cancelled", label: "取消" },
];

/** The statuses a user records by hand (紹介済 comes from issuing the letter). */
export const RECORDABLE_STATUSES = REFERRAL_STATUSES.filter((s) => s.code !== "sent");

/** Where a patient goes on discharge; `name` labels the free-text field the choice needs, if any. */
export const DISCHARGE_DESTINATIONS: readonly { code: string; label: string; name?: string }[] = [
  { code: "this_clinic", label: "自院（当院へ戻る）" },
  { code: "other_home_care_doctor", label: "在宅・他の在宅医", name: "在宅医（医療機関名・医師名）" },
  { code: "facility", label: "施設", name: "施設名" },
  { code: "other", label: "その他", name: "退院先" },
];

/** The event form before anything is typed. */
export const EMPTY_EVENT: EventInput = {
  status: "",
  date: "",
  department: "",
  ward: "",
  attending: "",
  hospital: "",
  expectedDate: "",
  destination: "",
  destinationName: "",
  place: "",
  reason: "",
  note: "",
  team: "",
};

/**
 * The entries offered for 誤った記録を取り消す: status entries still in force,
 * except the first one (the referral being sent), which cannot be taken back.
 */
export function voidableEvents(events: readonly ReferralEvent[]): ReferralEvent[] {
  return events.filter((e) => !e.voided && e.status !== null).slice(1);
}

/** A file size as staff read it: whole KB (at least 1) below 1 MB, MB with one decimal above. */
export function formatFileSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)}MB` : `${Math.max(1, Math.round(bytes / 1024))}KB`;
}

/** The group heading a board row falls under for the chosen order, or null when rows are not grouped. */
export function boardGroupOf(row: BoardRow, order: string): string | null {
  if (order === "status") return row.statusLabel;
  if (order === "hospital") return row.hospital;
  return null;
}

/** The board's count line: the total, and which rows this page shows when there are more. */
export function boardCountText(board: Board): string {
  const first = board.page * board.pageSize + 1;
  const last = board.page * board.pageSize + board.rows.length;
  return board.total > board.rows.length
    ? `${formatCount(board.total)}件中 ${formatCount(first)}〜${formatCount(last)}件を表示`
    : `${formatCount(board.total)}件`;
}

/** How many pages the board's total fills. */
export function boardPageCount(board: Board): number {
  return Math.ceil(board.total / board.pageSize);
}

/** 最終連絡: 今日, or how many days ago. */
export function daysAgoText(days: number): string {
  return days === 0 ? "今日" : `${formatCount(days)}日前`;
}

/**
 * The hospitals offered by the board's 紹介先 filter. Until the board has loaded,
 * the chosen hospital alone, so the select keeps showing it.
 */
export function hospitalOptions(board: Board | null, chosen: string): string[] {
  return board?.hospitals ?? (chosen === "" ? [] : [chosen]);
}
