import { afterEach, describe, expect, it, vi } from "vitest";
import type { Consent, ConsentInput } from "../api";
import {
  consentInput,
  consentScopeText,
  consentToSave,
  hospitalOptions,
  preregistrationChoice,
  preregistrationProblem,
  toggleHospital,
} from "./consents";

const CONSENT: Consent = {
  id: "c1",
  obtainedOn: "2026-11-20",
  obtainedOnLabel: "令和8年11月20日",
  obtainedBy: "看護師 佐藤",
  shareWithDesk: true,
  shareWithHospital: false,
  shareWithTeam: false,
  preregistration: false,
  preregisteredWith: [],
  byFamily: false,
  familyName: "",
  familyRelation: "",
  givenByLabel: "本人",
  withdrawnOn: null,
  withdrawnOnLabel: null,
  inForce: true,
};

afterEach(() => {
  vi.useRealTimers();
});

describe("consentInput", () => {
  it("starts a new consent today, by the patient, shared with both recipients but not the team", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2027, 0, 15, 10, 0));
    expect(consentInput(null)).toEqual({
      obtainedOn: "2027-01-15",
      obtainedBy: "",
      shareWithDesk: true,
      shareWithHospital: true,
      shareWithTeam: false,
      byFamily: false,
      familyName: "",
      familyRelation: "",
      withdrawnOn: "",
      preregistration: false,
      preregisteredWith: [],
    });
  });

  it("copies a stored consent, a missing withdrawal becoming an empty field", () => {
    expect(consentInput(CONSENT)).toEqual({
      obtainedOn: "2026-11-20",
      obtainedBy: "看護師 佐藤",
      shareWithDesk: true,
      shareWithHospital: false,
      shareWithTeam: false,
      byFamily: false,
      familyName: "",
      familyRelation: "",
      withdrawnOn: "",
      preregistration: false,
      preregisteredWith: [],
    });
    expect(consentInput({ ...CONSENT, withdrawnOn: "2026-12-01" }).withdrawnOn).toBe("2026-12-01");
    const family = consentInput({ ...CONSENT, shareWithTeam: true, byFamily: true, familyName: "山田 花子", familyRelation: "妻" });
    expect(family).toMatchObject({ shareWithTeam: true, byFamily: true, familyName: "山田 花子", familyRelation: "妻" });
  });

  it("reads a stored 事前登録 and the hospitals chosen, as their ids in order", () => {
    expect(consentInput(PREREGISTERED)).toMatchObject({ preregistration: true, preregisteredWith: ["h2", "h1"] });
    expect(consentInput({ ...PREREGISTERED, preregisteredWith: [] })).toMatchObject({
      preregistration: true,
      preregisteredWith: [],
    });
  });
});

const CHUO = { id: "h1", name: "豊島中央病院" };
const IKEBUKURO = { id: "h2", name: "池袋総合病院" };
const PREREGISTERED: Consent = { ...CONSENT, preregistration: true, preregisteredWith: [IKEBUKURO, CHUO] };

function input(over: Partial<ConsentInput>): ConsentInput {
  return { ...consentInput(CONSENT), ...over };
}

describe("事前登録 on the form", () => {
  it("starts on the hospitals chosen, else on every participating hospital", () => {
    expect(preregistrationChoice(consentInput(PREREGISTERED))).toBe("chosen");
    expect(preregistrationChoice(consentInput({ ...PREREGISTERED, preregisteredWith: [] }))).toBe("all");
    expect(preregistrationChoice(consentInput(null))).toBe("all");
  });

  it("ticks and unticks hospitals in the order ticked", () => {
    expect(toggleHospital([], "h1", true)).toEqual(["h1"]);
    expect(toggleHospital(["h1"], "h2", true)).toEqual(["h1", "h2"]);
    expect(toggleHospital(["h1", "h2"], "h1", true)).toEqual(["h2", "h1"]);
    expect(toggleHospital(["h1", "h2"], "h1", false)).toEqual(["h2"]);
    expect(toggleHospital(["h2"], "h9", false)).toEqual(["h2"]);
  });

  it("lists the hospitals offered, then those chosen before that are no longer offered", () => {
    const stopped = { id: "h3", name: "休止中記念病院" };
    expect(hospitalOptions([IKEBUKURO, CHUO], [CHUO, stopped])).toEqual([IKEBUKURO, CHUO, stopped]);
    expect(hospitalOptions([], [])).toEqual([]);
  });

  it("sends the hospitals only when chosen, under 事前登録", () => {
    const chosen = input({ preregistration: true, preregisteredWith: ["h2", "h1"] });
    expect(consentToSave(chosen, "chosen").preregisteredWith).toEqual(["h2", "h1"]);
    expect(consentToSave(chosen, "all").preregisteredWith).toEqual([]);
    const unticked = input({ preregistration: false, preregisteredWith: ["h2"] });
    expect(consentToSave(unticked, "chosen")).toMatchObject({ preregistration: false, preregisteredWith: [] });
  });

  it("asks for a hospital when 病院を選ぶ has none ticked", () => {
    const none = input({ preregistration: true, preregisteredWith: [] });
    expect(preregistrationProblem(none, "chosen")).toEqual({
      field: "preregisteredWith",
      message: "事前登録する病院を1つ以上選ぶか、「すべての参加病院」を選んでください。",
    });
    expect(preregistrationProblem(none, "all")).toBeNull();
    expect(preregistrationProblem(input({ preregistration: true, preregisteredWith: ["h1"] }), "chosen")).toBeNull();
    expect(preregistrationProblem(input({ preregistration: false }), "chosen")).toBeNull();
  });
});

describe("consentScopeText", () => {
  it("names whom the consent allows sharing with", () => {
    expect(consentScopeText({ ...CONSENT, shareWithDesk: true, shareWithHospital: true })).toBe(
      "在宅医療相談窓口・紹介先の病院",
    );
    expect(consentScopeText({ ...CONSENT, shareWithDesk: true, shareWithHospital: false })).toBe("在宅医療相談窓口");
    expect(consentScopeText({ ...CONSENT, shareWithDesk: false, shareWithHospital: true })).toBe("紹介先の病院");
    expect(consentScopeText({ ...CONSENT, shareWithDesk: false, shareWithHospital: false })).toBe("");
    expect(consentScopeText({ ...CONSENT, shareWithHospital: true, shareWithTeam: true })).toBe(
      "在宅医療相談窓口・紹介先の病院・在宅チーム",
    );
  });

  it("names 事前登録 with the hospitals chosen, or every participating one", () => {
    expect(consentScopeText(PREREGISTERED)).toBe("在宅医療相談窓口・事前登録（池袋総合病院、豊島中央病院）");
    expect(consentScopeText({ ...PREREGISTERED, shareWithDesk: false, preregisteredWith: [] })).toBe(
      "事前登録（地域の参加病院すべて）",
    );
  });
});
