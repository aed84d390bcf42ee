import { describe, expect, it } from "vitest";
import type { CareSummary } from "../api";
import { careSummaryInput, careSummarySavedText, listText, valueText } from "./careSummary";

const summary: CareSummary = {
  problems: ["慢性心不全"],
  medications: [],
  allergies: "",
  devices: ["在宅酸素"],
  nextVisitLabel: "令和8年12月14日",
  cautions: "",
  afterHoursPhone: "090-1111-2222",
  input: {
    problems: "慢性心不全",
    medications: "",
    allergies: "",
    devices: "在宅酸素",
    nextVisit: "2026-12-14",
    cautions: "",
    afterHoursPhone: "090-1111-2222",
  },
  recordedBy: "看護師 佐藤",
  recordedAt: "2026-12-07T00:00:00+00:00",
};

describe("careSummaryInput", () => {
  it("opens empty for a first summary and with the summary's text to change it", () => {
    expect(careSummaryInput(null).problems).toBe("");
    expect(careSummaryInput(summary).nextVisit).toBe("2026-12-14");
  });
});

describe("shown values", () => {
  it("say 記録なし rather than leave a blank", () => {
    expect(listText([])).toBe("（記録なし）");
    expect(listText(["a", "b"])).toBe("a、b");
    expect(valueText("  ")).toBe("（記録なし）");
    expect(valueText("ペニシリン")).toBe("ペニシリン");
  });
});

describe("careSummarySavedText", () => {
  it("says whether the team was told", () => {
    expect(careSummarySavedText(true)).toContain("在宅チームのタイムラインの先頭にも共有");
    expect(careSummarySavedText(false)).not.toContain("共有します");
  });
});
