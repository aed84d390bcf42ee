import { describe, expect, it } from "vitest";
import type { Patient } from "../api";
import { EMPTY_PATIENT, patientCountText, toPatientInput } from "./patients";

const PATIENT: Patient = {
  id: "p1",
  name: "山田 花子",
  kana: "やまだ はなこ",
  birthDate: "1950-04-01",
  birthDateWareki: "昭和25年4月1日",
  birthDateDisplay: "昭和25年4月1日（76歳）",
  age: 76,
  sex: "female",
  address: "東京都豊島区",
  phone: "03-1234-5678",
  keyPersonName: "山田 一郎",
  keyPersonRelation: "長男",
  keyPersonPhone: "090-1234-5678",
  chartNumber: "A-001",
  memo: "独居",
  deleted: false,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-02T00:00:00Z",
};

describe("EMPTY_PATIENT", () => {
  it("has no sex chosen and every text empty", () => {
    const { sex, ...texts } = EMPTY_PATIENT;
    expect(sex).toBeNull();
    expect(Object.values(texts).every((v) => v === "")).toBe(true);
  });
});

describe("toPatientInput", () => {
  it("takes the editable fields only, with the ISO birth date", () => {
    expect(toPatientInput(PATIENT)).toEqual({
      name: "山田 花子",
      kana: "やまだ はなこ",
      birthDate: "1950-04-01",
      sex: "female",
      address: "東京都豊島区",
      phone: "03-1234-5678",
      keyPersonName: "山田 一郎",
      keyPersonRelation: "長男",
      keyPersonPhone: "090-1234-5678",
      chartNumber: "A-001",
      memo: "独居",
    });
  });

  it("turns a missing chart number into an empty field", () => {
    expect(toPatientInput({ ...PATIENT, chartNumber: null }).chartNumber).toBe("");
  });
});

describe("patientCountText", () => {
  it("shows just the count when every match is listed", () => {
    expect(patientCountText(3, 3, false)).toBe("3件");
    expect(patientCountText(0, 0, false)).toBe("0件");
  });

  it("says how many of all the matches are shown", () => {
    expect(patientCountText(100, 1234, false)).toBe("全1,234件中100件を表示");
  });

  it("says 以上 when counting stopped", () => {
    expect(patientCountText(100, 1000, true)).toBe("1,000件以上中100件を表示");
    // Even when as many are shown as were counted: more may match.
    expect(patientCountText(100, 100, true)).toBe("100件以上中100件を表示");
  });
});
