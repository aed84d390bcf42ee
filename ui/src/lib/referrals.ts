import type { Board, BoardRow, EventInput, ReferralEvent } from "../api";
import { formatCount } from "./format";

// The referral vocabulary comes from the domain, generated into the API module.
import { REFERRAL_STATUSES } from "../api/vocabulary";
export { DISCHARGE_DESTINATIONS, REFERRAL_STATUSES } from "../api/vocabulary";

/** The statuses a user records by hand (紹介済 comes from issuing the letter). */
export const RECORDABLE_STATUSES = REFERRAL_STATUSES.filter((s) => s.code !== "sent");

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
/** The board's 紹介先: an episode a hospital opened without a letter
 * (紹介状なし入院, for a pre-registered patient) was sent nowhere. */
export function referredToText(row: Pick<BoardRow, "referredTo">): string {
  return row.referredTo === "" ? "紹介状なし入院" : row.referredTo;
}

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
