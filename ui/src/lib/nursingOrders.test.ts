import { describe, expect, it } from "vitest";
import type { IssuedNursingOrder, NursingOrder, NursingOrderDraft, NursingOrderForm } from "../api";
import {
  DIAGNOSIS_ROWS,
  addresseeMode,
  issuedMessage,
  kindTitle,
  mayRenew,
  orderFieldLabels,
  orderFormState,
  orderInput,
  stateBadge,
  toggledChoice,
  withDevice,
  withDiagnosis,
} from "./nursingOrders";

const form: NursingOrderForm = {
  kind: "regular",
  patientId: "p1",
  station: "",
  issuedOn: "2026-12-01",
  startsOn: "2026-12-01",
  endsOn: "2027-05-31",
  infusionStartsOn: "",
  infusionEndsOn: "",
  diagnoses: [{ name: "慢性心不全", code: "4289002" }],
  condition: "",
  medication: "",
  bedriddenLevel: "",
  dementiaLevel: "",
  careLevel: "",
  ulcerDepth: "",
  devices: [],
  deviceOther: "",
  deviceDetails: "",
  careNotes: "",
  rehabMinutesPerDay: "",
  rehabTimesPerWeek: "",
  woundCare: "",
  deviceCare: "",
  otherInstructions: "",
  infusionInstructions: "",
  emergencyContact: "さくら内科 03-1234-5678",
  whenAbsent: "",
  specialNotes: "",
  otherStation: "",
  suctionProvider: "",
  frequentVisitReason: "",
};

const draft: NursingOrderDraft = {
  id: "d1",
  patientId: "p1",
  kind: "regular",
  kindLabel: "訪問看護指示書",
  form,
  stationMemberId: null,
  renews: null,
  updatedAt: "2026-12-01T09:00:00+00:00",
};

const order: NursingOrder = {
  id: "o1",
  patientId: "p1",
  kind: "regular",
  kindLabel: "訪問看護指示書",
  formNumber: "別紙様式16",
  station: "みどり訪問看護ステーション",
  stationMemberId: "m1",
  issuedOn: "2026-12-01",
  issuedOnLabel: "令和8年12月1日",
  startsOn: "2026-12-01",
  endsOn: "2027-05-31",
  periodLabel: "令和8年12月1日～令和9年5月31日",
  state: "current",
  stateLabel: "有効",
  renews: null,
  renewedBy: null,
  mayRenew: true,
  mayEnd: true,
  ending: null,
  sha256: "ab",
  pdfSize: 1000,
  issuedAt: "2026-12-01T09:00:00+00:00",
  issuedBy: "account:sato",
};

describe("orderFormState / orderInput", () => {
  it("shows three diagnosis rows and the addressee as a member id or typed", () => {
    const state = orderFormState(draft);
    expect(state.form.diagnoses).toHaveLength(DIAGNOSIS_ROWS);
    expect(state.form.diagnoses[0]).toEqual({ name: "慢性心不全", code: "4289002" });
    expect(state.stationMemberId).toBe("");
    expect(orderFormState({ ...draft, stationMemberId: "m1" }).stationMemberId).toBe("m1");
  });

  it("does not change the draft it was made from", () => {
    const state = orderFormState(draft);
    const changed = withDiagnosis(state.form, 1, { name: "糖尿病" });
    expect(changed.diagnoses[1]?.name).toBe("糖尿病");
    expect(state.form.diagnoses[1]?.name).toBe("");
    expect(draft.form.diagnoses).toHaveLength(1);
  });

  it("sends the chosen station by id, a typed one by name, and drops empty diagnosis rows", () => {
    const state = orderFormState(draft);
    expect(orderInput(state).stationMemberId).toBeNull();
    expect(orderInput(state).form.diagnoses).toEqual([{ name: "慢性心不全", code: "4289002" }]);
    const chosen = { ...state, stationMemberId: "m1" };
    expect(orderInput(chosen).stationMemberId).toBe("m1");
    const typed = { ...state, form: { ...state.form, station: "あおば訪問看護" } };
    expect(orderInput(typed).form.station).toBe("あおば訪問看護");
  });

  it("keeps a half-typed diagnosis row for the server to judge", () => {
    const state = orderFormState(draft);
    const codeOnly = { ...state, form: withDiagnosis(state.form, 2, { code: "1234567" }) };
    expect(orderInput(codeOnly).form.diagnoses).toEqual([
      { name: "慢性心不全", code: "4289002" },
      { name: "", code: "1234567" },
    ]);
  });
});

describe("choices", () => {
  it("ticks and unticks devices", () => {
    const on = withDevice(form, "oxygen", true);
    expect(on.devices).toEqual(["oxygen"]);
    expect(withDevice(withDevice(on, "suction", true), "oxygen", false).devices).toEqual(["suction"]);
    expect(withDevice(on, "oxygen", true).devices).toEqual(["oxygen"]);
  });

  it("clears a radio choice chosen again", () => {
    expect(toggledChoice("", "a1")).toBe("a1");
    expect(toggledChoice("a1", "a1")).toBe("");
    expect(toggledChoice("a1", "b2")).toBe("b2");
  });
});

describe("labels", () => {
  it("labels the server's field keys as the form heads the boxes", () => {
    const regular = orderFieldLabels("regular");
    expect(regular.period).toBe("訪問看護指示期間");
    expect(regular.diagnoses).toBe("主たる傷病名");
    expect(regular.emergencyContact).toBe("緊急時の連絡先");
    expect(regular.station).toBe("訪問看護ステーション");
    const special = orderFieldLabels("special");
    expect(special.period).toBe("特別看護指示期間");
    expect(special.condition).toBe("病状・主訴");
    expect(special.careNotes).toBe("留意事項及び指示事項");
  });

  it("titles the kinds with their form number", () => {
    expect(kindTitle("regular")).toBe("訪問看護指示書（別紙様式16）");
    expect(kindTitle("special")).toBe("特別訪問看護指示書（別紙様式18）");
  });
});

describe("state badges", () => {
  it("says where an order stands", () => {
    expect(stateBadge(order)).toEqual({ label: "有効", tone: "ok" });
    expect(stateBadge({ state: "due", stateLabel: "更新時期" })).toEqual({ label: "期限が近い", tone: "warning" });
    expect(stateBadge({ state: "expired", stateLabel: "期限切れ" })).toEqual({ label: "期限切れ", tone: "danger" });
    expect(stateBadge({ state: "other", stateLabel: "不明" }).label).toBe("不明");
    expect(stateBadge({ state: "due", stateLabel: "更新時期", ending: "更新しない：入院のため" })).toEqual({ label: "更新しない", tone: "muted" });
  });

  it("offers 更新 on a regular order not yet renewed", () => {
    expect(mayRenew(order)).toBe(true);
    expect(mayRenew({ ...order, mayRenew: false })).toBe(false);
    expect(mayRenew({ ...order, kind: "special" })).toBe(false);
  });
});

describe("issuing", () => {
  it("says whether the order was shared on the timeline", () => {
    const issued: IssuedNursingOrder = { order, sharedOnTimeline: true };
    expect(issuedMessage(issued)).toContain("発行しました");
    expect(issuedMessage(issued)).toContain("タイムラインにPDFを共有しました");
    expect(issuedMessage({ ...issued, sharedOnTimeline: false })).toContain("共有していません");
  });

  it("chooses the addressee from the team, or lets it be typed", () => {
    expect(addresseeMode(null)).toBe("none");
    expect(addresseeMode({ stations: [], mayTypeName: true })).toBe("type");
    expect(addresseeMode({ stations: [], mayTypeName: false })).toBe("none");
    expect(
      addresseeMode({
        stations: [{ memberId: "m1", organisationId: null, name: "みどり", person: "", phone: "", fax: "" }],
        mayTypeName: false,
      }),
    ).toBe("choose");
  });
});
