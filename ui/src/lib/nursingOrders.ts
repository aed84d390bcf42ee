import type {
  IssuedNursingOrder,
  NursingOrder,
  NursingOrderDiagnosis,
  NursingOrderDraft,
  NursingOrderForm,
  NursingOrderInput,
  NursingOrderStations,
} from "../api";
import { NURSING_ORDER_KINDS } from "../api/vocabulary";

/** The form prints three 主たる傷病名 rows. */
export const DIAGNOSIS_ROWS = 3;

/** The code of 「13.その他」, which takes a name. */
export const OTHER_DEVICE = "other";

/**
 * The form being edited: the draft's form with its three diagnosis rows, and the
 * addressee — a team station's member id, or "" for a name typed in `form.station`.
 */
export interface OrderFormState {
  draftId: string;
  kind: string;
  /** This draft renews an issued order. */
  renews: string | null;
  stationMemberId: string;
  form: NursingOrderForm;
}

function blankDiagnosis(): NursingOrderDiagnosis {
  return { name: "", code: "" };
}

/** The draft as the form shows it: always three diagnosis rows to type in. */
export function orderFormState(draft: NursingOrderDraft): OrderFormState {
  const diagnoses = draft.form.diagnoses.slice(0, DIAGNOSIS_ROWS).map((d) => ({ ...d }));
  while (diagnoses.length < DIAGNOSIS_ROWS) {
    diagnoses.push(blankDiagnosis());
  }
  return {
    draftId: draft.id,
    kind: draft.kind,
    renews: draft.renews,
    stationMemberId: draft.stationMemberId ?? "",
    form: { ...draft.form, diagnoses, devices: [...draft.form.devices] },
  };
}

/**
 * What 「下書き保存」 sends. A chosen team station is sent by its member id
 * (the app fills the printed name); without one, the typed name stands.
 * Diagnosis rows left empty are dropped; a half-typed row is kept for the
 * domain to say what is missing.
 */
export function orderInput(state: OrderFormState): NursingOrderInput {
  const diagnoses = state.form.diagnoses.filter((d) => d.name.trim() !== "" || d.code.trim() !== "");
  return {
    stationMemberId: state.stationMemberId === "" ? null : state.stationMemberId,
    form: { ...state.form, diagnoses },
  };
}

/** The form with one diagnosis row changed. */
export function withDiagnosis(
  form: NursingOrderForm,
  index: number,
  change: Partial<NursingOrderDiagnosis>,
): NursingOrderForm {
  return {
    ...form,
    diagnoses: form.diagnoses.map((d, i) => (i === index ? { ...d, ...change } : d)),
  };
}

/** The form with a device ticked or unticked (kept in the form's order of ticking). */
export function withDevice(form: NursingOrderForm, code: string, on: boolean): NursingOrderForm {
  const others = form.devices.filter((d) => d !== code);
  return { ...form, devices: on ? [...others, code] : others };
}

/** A radio choice the user may clear again: choosing the chosen one clears it. */
export function toggledChoice(current: string, code: string): string {
  return current === code ? "" : code;
}

/** Whether the kind is 特別訪問看護指示書 (別紙様式18). */
export function isSpecial(kind: string): boolean {
  return kind === "special";
}

/** 「訪問看護指示書（別紙様式16）」 */
export function kindTitle(kind: string): string {
  const k = NURSING_ORDER_KINDS.find((x) => x.code === kind);
  return k === undefined ? kind : `${k.label}（${k.form}）`;
}

/** What the form calls the order's period. */
export function periodLabel(kind: string): string {
  return isSpecial(kind) ? "特別看護指示期間" : "訪問看護指示期間";
}

/** The field labels as the form heads the boxes, by the domain's field keys. */
const FIELD_LABELS: Record<string, string> = {
  kind: "指示書の種類",
  patientId: "患者",
  station: "訪問看護ステーション",
  issuedOn: "指示日",
  period: "指示期間",
  infusionPeriod: "点滴注射指示期間",
  diagnoses: "主たる傷病名",
  condition: "病状・治療状態",
  medication: "投与中の薬剤の用量・用法",
  bedriddenLevel: "寝たきり度",
  dementiaLevel: "認知症の状況",
  careLevel: "要介護認定の状況",
  ulcerDepth: "褥瘡の深さ",
  devices: "装着・使用医療機器等",
  deviceDetails: "医療機器等の詳細",
  careNotes: "療養生活指導上の留意事項",
  rehabilitation: "理学療法士・作業療法士・言語聴覚士が行う訪問看護",
  woundCare: "褥瘡の処置等",
  deviceCare: "装着・使用医療機器等の操作援助・管理",
  otherInstructions: "その他の指示",
  infusionInstructions: "在宅患者訪問点滴注射に関する指示",
  emergencyContact: "緊急時の連絡先",
  whenAbsent: "不在時の対応",
  specialNotes: "特記すべき留意事項",
  otherStation: "他の訪問看護ステーションへの指示",
  suctionProvider: "たんの吸引等実施のための訪問介護事業所への指示",
  frequentVisitReason: "一時的に訪問看護が頻回に必要な理由",
};

/** The FormAlert's labels for the kind's form (様式18 names some boxes its own way). */
export function orderFieldLabels(kind: string): Record<string, string> {
  if (!isSpecial(kind)) {
    return { ...FIELD_LABELS, period: periodLabel(kind) };
  }
  return {
    ...FIELD_LABELS,
    period: periodLabel(kind),
    condition: "病状・主訴",
    careNotes: "留意事項及び指示事項",
  };
}

/** A state's badge: what it says and how it looks. */
export interface StateBadge {
  label: string;
  tone: "ok" | "warning" | "danger" | "muted";
}

/**
 * Where an issued order stands today, from the app's `state`: 有効, 期限が近い
 * (its last day is within 14 days: time to renew) or 期限切れ. The app's
 * `stateLabel` is kept for a state this UI does not know.
 */
export function stateBadge(order: Pick<NursingOrder, "state" | "stateLabel"> & { ending?: string | null }): StateBadge {
  // Decided not to be renewed: its last day is no longer a warning.
  if (order.ending != null) return { label: "更新しない", tone: "muted" };
  switch (order.state) {
    case "current":
      return { label: "有効", tone: "ok" };
    case "due":
      return { label: "期限が近い", tone: "warning" };
    case "expired":
      return { label: "期限切れ", tone: "danger" };
    default:
      return { label: order.stateLabel, tone: "warning" };
  }
}

/** Whether 「更新」 is offered: a regular order not renewed yet (a 特別 order is not renewed). */
export function mayRenew(order: Pick<NursingOrder, "kind" | "mayRenew">): boolean {
  return order.mayRenew && !isSpecial(order.kind);
}

/** What 「発行」 says when it is done. */
export function issuedMessage(issued: IssuedNursingOrder): string {
  const title = issued.order.kindLabel;
  return issued.sharedOnTimeline
    ? `${title}を発行しました。チームのタイムラインにPDFを共有しました。「開いて印刷」で印刷できます。`
    : `${title}を発行しました。チームのタイムラインには共有していません（宛先がチームの一員でないか、共有の同意がありません）。「開いて印刷」で印刷し、ステーションへお渡しください。`;
}

/** How the addressee is chosen: from the team's stations, by typing, or neither. */
export function addresseeMode(stations: NursingOrderStations | null): "choose" | "type" | "none" {
  if (stations === null) {
    return "none";
  }
  if (stations.stations.length > 0) {
    return "choose";
  }
  return stations.mayTypeName ? "type" : "none";
}
