import type { DischargeRequest } from "../api";

/** The three answers, as the backend takes them. */
export type AnswerCode = "accept" | "decline" | "consult";

/** The answer being written: a decline's reason or a consult's text (null: none open). */
export type Composing = "decline" | "consult" | null;

/** The card's heading: 「北病院から退院後の在宅医療の相談」. */
export function requestTitle(r: Pick<DischargeRequest, "hospital">): string {
  return `${r.hospital}から退院後の在宅医療の相談`;
}

/** 必要な医療, as the liaison ticked it. */
export function needsLine(labels: readonly string[]): string {
  return labels.length === 0 ? "記載なし" : labels.join("、");
}

/** An answer the physician gave (here or on another PC), not a cancellation or an expiry. */
export function isAnswered(state: string): boolean {
  return state === "accepted" || state === "declined" || state === "consult";
}

/**
 * The state line of the card: 回答待ち with its day, the answer (送信待ち while
 * it waits in the outbox), or why it can no longer be answered.
 */
export function stateLine(
  r: Pick<DischargeRequest, "state" | "stateLabel" | "replyBy" | "sending">,
): string {
  if (r.state === "open") return `回答待ち（回答期限 ${r.replyBy}）`;
  if (isAnswered(r.state)) return `回答：${r.stateLabel}${r.sending ? "（送信待ち）" : ""}`;
  if (r.state === "cancelled") return "病院が取り消しました";
  return r.stateLabel;
}

/** The state badge's look: waiting, answered, or closed without an answer. */
export function stateClass(state: string): string {
  if (state === "open") return "status status-pending";
  if (isAnswered(state)) return "status";
  return "status status-muted";
}

/**
 * Which answer buttons the card shows: all three while open and nothing is being written,
 * to an account that may answer (the backend says: 医師).
 */
export function answerButtons(
  r: Pick<DischargeRequest, "mayAnswer" | "mayDecide">,
  composing: Composing,
): { accept: boolean; decline: boolean; consult: boolean } {
  const shown = r.mayAnswer && r.mayDecide && composing === null;
  return { accept: shown, decline: shown, consult: shown };
}

/** Whether the answer form may be open: the request is open and the account may answer. */
export function mayCompose(r: Pick<DischargeRequest, "mayAnswer" | "mayDecide">): boolean {
  return r.mayAnswer && r.mayDecide;
}

/** The note shown instead of the buttons to an account that may not answer an open request. */
export function doctorOnlyNote(r: Pick<DischargeRequest, "mayAnswer" | "mayDecide">): string | null {
  return r.mayAnswer && !r.mayDecide ? "回答は医師のアカウントで行えます" : null;
}

/** The text field's label: the reason is required, what to talk about is not. */
export function textLabel(composing: Exclude<Composing, null>): string {
  return composing === "decline" ? "引き受けられない理由（必須）" : "相談したいこと（任意）";
}

/** Whether 送信 may be pressed: a decline needs its reason. */
export function maySend(composing: Composing, text: string): boolean {
  if (composing === null) return false;
  return composing === "consult" || text.trim() !== "";
}

/** Who answered, and what they said, for an answered request (null otherwise). */
export function answerDetail(
  r: Pick<DischargeRequest, "state" | "answerText" | "answeredBy">,
): string | null {
  if (!isAnswered(r.state)) return null;
  const by = r.answeredBy === "" ? "" : `（${r.answeredBy}）`;
  return r.answerText === "" ? (by === "" ? null : `回答者${by}`) : `${r.answerText}${by}`;
}

/** How many requests wait for an answer (the worklist's count). */
export function waitingForAnswer(requests: readonly Pick<DischargeRequest, "mayAnswer">[]): number {
  return requests.filter((r) => r.mayAnswer).length;
}

/** The list with one request replaced by its answered copy. */
export function replaceRequest<T extends Pick<DischargeRequest, "id">>(requests: readonly T[], updated: T): T[] {
  return requests.map((r) => (r.id === updated.id ? updated : r));
}

/** The requests of one referral, and those of none of the referrals shown. */
export function splitByReferral<T extends Pick<DischargeRequest, "referralId">>(
  requests: readonly T[],
  referralIds: readonly string[],
): { byReferral: Map<string, T[]>; others: T[] } {
  const byReferral = new Map<string, T[]>();
  const others: T[] = [];
  for (const r of requests) {
    if (referralIds.includes(r.referralId)) {
      byReferral.set(r.referralId, [...(byReferral.get(r.referralId) ?? []), r]);
    } else {
      others.push(r);
    }
  }
  return { byReferral, others };
}
