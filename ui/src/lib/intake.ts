import type { IntakeInput, IntakeRequest } from "../api";

/** The three answers, as the backend takes them. */
export type IntakeAnswerCode = "accept" | "decline" | "consult";

/** The answer being written: a decline's reason or a consult's text (null: none open). */
export type IntakeComposing = "decline" | "consult" | null;

/** The form's labels, for the error summary. */
export const INTAKE_LABELS = {
  age: "年齢",
  sex: "性別",
  municipality: "市区町村",
  needs: "必要なこと",
  startOn: "開始の希望日",
  summary: "相談の内容",
} as const;

/** The needs' boxes: ticking a ticked one unticks it. */
export function toggleNeed(input: IntakeInput, code: string): IntakeInput {
  return {
    ...input,
    needs: input.needs.includes(code) ? input.needs.filter((n) => n !== code) : [...input.needs, code],
  };
}

/** The requests the clinic sent, and those it was asked, each newest first as given. */
export function splitIntakes<T extends Pick<IntakeRequest, "sentByUs">>(
  requests: readonly T[],
): { sent: T[]; received: T[] } {
  return {
    sent: requests.filter((r) => r.sentByUs),
    received: requests.filter((r) => !r.sentByUs),
  };
}

/** Received requests still waiting for this clinic's answer (要確認's count). */
export function waitingIntakes(requests: readonly Pick<IntakeRequest, "sentByUs" | "mayAnswer">[]): number {
  return requests.filter((r) => !r.sentByUs && r.mayAnswer).length;
}

/** The card's heading: whom it was sent to, or who asked. */
export function intakeTitle(r: Pick<IntakeRequest, "sentByUs" | "toName" | "fromName">): string {
  return r.sentByUs ? `${r.toName}への受入相談` : `${r.fromName}からの受入相談`;
}

/** The state line: 回答待ち, the answer (送信待ち while it waits in the outbox), 取り下げ. */
export function intakeStateLine(r: Pick<IntakeRequest, "state" | "stateLabel" | "sending">): string {
  const waiting = r.sending ? "（送信待ち）" : "";
  if (r.state === "open") return `回答待ち${waiting}`;
  if (r.state === "withdrawn") return `取り下げ${waiting}`;
  return `回答：${r.stateLabel}${waiting}`;
}

export function intakeStateClass(state: string): string {
  if (state === "open") return "status status-pending";
  if (state === "withdrawn" || state === "declined") return "status status-muted";
  return "status";
}

/** 76歳・男性・練馬区: the anonymous patient, as the request says. */
export function patientLine(r: Pick<IntakeRequest, "age" | "sexLabel" | "municipality">): string {
  const parts = [r.age === null ? "" : `${String(r.age)}歳`, r.sexLabel, r.municipality].filter((p) => p !== "");
  return parts.length === 0 ? "記載なし" : parts.join("・");
}

/** Which answer buttons show: all three while open, to a doctor, when nothing is being written. */
export function intakeAnswerButtons(
  r: Pick<IntakeRequest, "mayAnswer" | "mayDecide">,
  composing: IntakeComposing,
): boolean {
  return r.mayAnswer && r.mayDecide && composing === null;
}

/** The note a nurse sees instead of the buttons. */
export function intakeDoctorOnly(r: Pick<IntakeRequest, "mayAnswer" | "mayDecide">): string | null {
  return r.mayAnswer && !r.mayDecide ? "回答は医師のアカウントで行えます" : null;
}

/** Whether 送信 may be pressed: a decline needs its reason. */
export function mayAnswerWith(composing: IntakeComposing, text: string): boolean {
  if (composing === null) return false;
  return composing === "consult" || text.trim() !== "";
}

/** 「チームに招待」 is offered for an accepted request sent about a patient of this PC. */
export function mayInviteFrom(r: Pick<IntakeRequest, "sentByUs" | "state" | "patientId">): boolean {
  return r.sentByUs && r.state === "accepted" && r.patientId !== null;
}

/** The list with one request replaced by its updated copy (or added first when new). */
export function withIntake<T extends Pick<IntakeRequest, "id">>(requests: readonly T[], updated: T): T[] {
  return requests.some((r) => r.id === updated.id)
    ? requests.map((r) => (r.id === updated.id ? updated : r))
    : [updated, ...requests];
}
