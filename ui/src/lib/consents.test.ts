import { afterEach, describe, expect, it, vi } from "vitest";
import type { Consent } from "../api";
import { consentInput, consentScopeText } from "./consents";

const CONSENT: Consent = {
  id: "c1",
  obtainedOn: "2026-11-20",
  obtainedOnLabel: "令和8年11月20日",
  obtainedBy: "看護師 佐藤",
  shareWithDesk: true,
  shareWithHospital: false,
  shareWithTeam: false,
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
    });
    expect(consentInput({ ...CONSENT, withdrawnOn: "2026-12-01" }).withdrawnOn).toBe("2026-12-01");
    const family = consentInput({ ...CONSENT, shareWithTeam: true, byFamily: true, familyName: "山田 花子", familyRelation: "妻" });
    expect(family).toMatchObject({ shareWithTeam: true, byFamily: true, familyName: "山田 花子", familyRelation: "妻" });
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
});
