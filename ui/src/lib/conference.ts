import type { ConferenceInput, ConferenceInvitable, ConferenceInvitee, TeamConference } from "../api";
import { ATTENDANCE_ANSWERS } from "../api/vocabulary";

/** The start the form offers: most 退院時カンファレンス are held in the afternoon. */
export const DEFAULT_START_TIME = "14:00";

/** The form's field keys (as the backend names them) and their labels, for the error summary. */
export const CONFERENCE_FIELD_LABELS = {
  date: "日付",
  time: "開始時刻",
  place: "場所",
  link: "Web会議のリンク",
  note: "補足",
  invitees: "招待するメンバー",
} as const;

/**
 * A new form: no day yet, 14:00, and everyone the team may invite but the clinic itself
 * ticked (the physician unticks whom not to ask).
 */
export function emptyConferenceInput(invitable: readonly ConferenceInvitable[]): ConferenceInput {
  return {
    date: "",
    time: DEFAULT_START_TIME,
    place: "",
    link: "",
    note: "",
    inviteeMemberIds: invitable.filter((m) => !m.isOwn).map((m) => m.id),
  };
}

/** The invitees with `id` ticked or unticked, in the order the members are listed. */
export function toggleInvitee(
  invitable: readonly ConferenceInvitable[],
  ids: readonly string[],
  id: string,
  checked: boolean,
): string[] {
  const next = new Set(ids);
  if (checked) next.add(id);
  else next.delete(id);
  return invitable.filter((m) => next.has(m.id)).map((m) => m.id);
}

/** The state badge: 予定 / 開催済み / 中止, with 送信待ち or why it was never sent. */
export function conferenceStateLine(
  c: Pick<TeamConference, "stateLabel" | "sending" | "withheld" | "refusal">,
): string {
  if (c.withheld) return `${c.stateLabel}（同意の撤回により未送信）`;
  if (c.refusal !== null) return `${c.stateLabel}（送信できませんでした）`;
  if (c.sending) return `${c.stateLabel}（送信待ち）`;
  return c.stateLabel;
}

/** The badge's look. */
export function conferenceStateClass(
  c: Pick<TeamConference, "state" | "sending" | "withheld" | "refusal">,
): string {
  if (c.refusal !== null || c.withheld) return "status status-conflict";
  if (c.sending) return "status status-pending";
  if (c.state === "cancelled") return "status status-muted";
  return "status";
}

/** The conferences still to come first (the nearest first), then the rest (the latest first). */
export function sortConferences<T extends Pick<TeamConference, "state" | "startsAt">>(
  conferences: readonly T[],
  now: Date,
): T[] {
  const time = (c: T) => new Date(c.startsAt).getTime();
  const coming = (c: T) => c.state === "scheduled" && time(c) >= now.getTime();
  const ahead = conferences.filter(coming).sort((a, b) => time(a) - time(b));
  const past = conferences.filter((c) => !coming(c)).sort((a, b) => time(b) - time(a));
  return [...ahead, ...past];
}

/** One invitee's line: 「北病院：出席（北病院 MSW・連携担当者 山本）」. */
export function inviteeLine(i: Pick<ConferenceInvitee, "name" | "attendanceLabel" | "answeredBy" | "isOwn">): string {
  const name = i.isOwn ? `${i.name === "" ? "当院" : i.name}（当院）` : i.name === "" ? "（チームを離れたメンバー）" : i.name;
  const by = i.answeredBy === "" ? "" : `（${i.answeredBy}）`;
  return `${name}：${i.attendanceLabel}${by}`;
}

/** How many have answered, of how many invited: 「回答 2/3」. */
export function answeredCount(invitees: readonly Pick<ConferenceInvitee, "attendance">[]): string {
  return `回答 ${String(invitees.filter((i) => i.attendance !== "pending").length)}/${String(invitees.length)}`;
}

/** The clinic's answer buttons (出席 / オンライン / 欠席), the current answer pressed; none when it may not answer. */
export function attendanceButtons(
  c: Pick<TeamConference, "mayAnswer" | "ownAttendance">,
): { code: string; label: string; testId: string; pressed: boolean }[] {
  if (!c.mayAnswer) return [];
  return ATTENDANCE_ANSWERS.map((a) => ({
    code: a.code,
    label: a.label,
    testId: `conference-${a.code}`,
    pressed: c.ownAttendance === a.code,
  }));
}

/** The form stands open for a physician while nothing is planned; else behind its button. */
export function formOpenByDefault(conferences: readonly Pick<TeamConference, "state">[]): boolean {
  return conferenceCount(conferences) === 0;
}

/** How many are still planned (the heading's count). */
export function conferenceCount(conferences: readonly Pick<TeamConference, "state">[]): number {
  return conferences.filter((c) => c.state === "scheduled").length;
}
