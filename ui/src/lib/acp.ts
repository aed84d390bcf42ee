import type { Acp, AcpInput, AcpParticipantInput } from "../api";
import { ACP_PARTICIPANT_ROLES, ACP_TREATMENTS } from "../api/vocabulary";
import { today } from "./dates";

/** An empty participant row. */
export function blankParticipant(role = ""): AcpParticipantInput {
  return { role, name: "", relation: "" };
}

/**
 * The form for the next conversation. Wishes carry over from the current
 * version (a review usually changes a few of them, and the team must not
 * retype the rest); the day is today and the participants start afresh with
 * the patient, since who took part is what this conversation records.
 * Without a version, nothing is chosen: every treatment must be answered
 * (「未定」 is an answer), so a blank is never mistaken for a wish.
 */
export function acpInput(current: Acp | null): AcpInput {
  if (current === null) {
    return {
      heldOn: today(),
      participants: [blankParticipant("patient"), blankParticipant("family")],
      values: "",
      placeOfCare: "",
      placeOfCareNote: "",
      placeOfDeath: "",
      placeOfDeathNote: "",
      wishes: [],
      wishesNote: "",
      surrogateName: "",
      surrogateRelation: "",
      surrogatePhone: "",
      notes: "",
    };
  }
  return {
    heldOn: today(),
    participants: current.participants.map((p) => ({ role: p.role, name: p.name, relation: p.relation })),
    values: current.values,
    placeOfCare: current.placeOfCare,
    placeOfCareNote: current.placeOfCareNote,
    placeOfDeath: current.placeOfDeath,
    placeOfDeathNote: current.placeOfDeathNote,
    wishes: current.wishes.map((w) => ({ treatment: w.treatment, wish: w.wish })),
    wishesNote: current.wishesNote,
    surrogateName: current.surrogateName,
    surrogateRelation: current.surrogateRelation,
    surrogatePhone: current.surrogatePhone,
    notes: "",
  };
}

/** The chosen answer about `treatment` ("" when none). */
export function wishOf(input: AcpInput, treatment: string): string {
  return input.wishes.find((w) => w.treatment === treatment)?.wish ?? "";
}

/** The form with `treatment` answered `wish` (one answer per treatment). */
export function withWish(input: AcpInput, treatment: string, wish: string): AcpInput {
  return {
    ...input,
    wishes: [...input.wishes.filter((w) => w.treatment !== treatment), { treatment, wish }],
  };
}

/** The form with participant `index` changed. */
export function withParticipant(input: AcpInput, index: number, change: Partial<AcpParticipantInput>): AcpInput {
  return {
    ...input,
    participants: input.participants.map((p, i) => (i === index ? { ...p, ...change } : p)),
  };
}

/** The form without participant `index`. */
export function withoutParticipant(input: AcpInput, index: number): AcpInput {
  return { ...input, participants: input.participants.filter((_, i) => i !== index) };
}

const FIXED_LABELS: Record<string, string> = {
  heldOn: "話し合った日",
  participants: "参加した人",
  values: "大切にしていること",
  placeOfCare: "療養の場所",
  placeOfCareNote: "療養の場所の補足",
  placeOfDeath: "最期を迎える場所",
  placeOfDeathNote: "最期を迎える場所の補足",
  wishesNote: "医療・ケアの希望の補足",
  surrogateName: "代理で意思決定する人",
  surrogateRelation: "代理で意思決定する人の続柄",
  surrogatePhone: "代理で意思決定する人の電話番号",
  notes: "その他の記録",
};

/**
 * The form's labels by the server's field keys, for the summary at the top:
 * the fixed fields, each participant row (`participants.2` → 参加した人（3人目）)
 * and each treatment (`wish.cpr` → 心肺蘇生（DNARの有無）).
 */
export function acpFieldLabels(input: AcpInput): Record<string, string> {
  const labels: Record<string, string> = { ...FIXED_LABELS };
  input.participants.forEach((_, i) => {
    labels[`participants.${String(i)}`] = `参加した人（${String(i + 1)}人目）`;
  });
  for (const t of ACP_TREATMENTS) {
    labels[`wish.${t.code}`] = t.label;
  }
  return labels;
}

/** Whether a role needs the relation (family). */
export function needsRelation(role: string): boolean {
  return role === "family";
}

/** The label of a participant role code. */
export function roleLabel(code: string): string {
  return ACP_PARTICIPANT_ROLES.find((r) => r.code === code)?.label ?? "";
}

/** Whether the version records that the patient declines CPR (DNAR). */
export function declinesCpr(acp: Acp): boolean {
  return acp.wishes.some((w) => w.treatment === "cpr" && w.wish === "declines");
}
