import { describe, expect, it } from "vitest";
import { FIGURE_PRESETS, chartLabel, formatDays, formatPercent, lastTwelveMonths } from "./figures";

function preset(label: string) {
  const found = FIGURE_PRESETS.find((p) => p.label === label);
  if (found === undefined) throw new Error(`no preset ${label}`);
  return found;
}

describe("lastTwelveMonths", () => {
  it("runs from the day after the same date a year ago up to today", () => {
    expect(lastTwelveMonths(new Date(2026, 11, 6))).toEqual({ from: "2025-12-07", to: "2026-12-06" });
  });

  it("rolls over into the next month at a month's end", () => {
    expect(lastTwelveMonths(new Date(2026, 2, 31))).toEqual({ from: "2025-04-01", to: "2026-03-31" });
  });
});

describe("FIGURE_PRESETS", () => {
  it("offers the three periods in order", () => {
    expect(FIGURE_PRESETS.map((p) => p.label)).toEqual(["過去12か月", "今年度", "前年度"]);
  });

  it("今年度 runs from 1 April to today", () => {
    expect(preset("今年度").period(new Date(2026, 11, 6))).toEqual({ from: "2026-04-01", to: "2026-12-06" });
    expect(preset("今年度").period(new Date(2027, 1, 10))).toEqual({ from: "2026-04-01", to: "2027-02-10" });
  });

  it("前年度 is the whole previous fiscal year, 1 April to 31 March", () => {
    expect(preset("前年度").period(new Date(2026, 11, 6))).toEqual({ from: "2025-04-01", to: "2026-03-31" });
    expect(preset("前年度").period(new Date(2027, 1, 10))).toEqual({ from: "2025-04-01", to: "2026-03-31" });
    expect(preset("前年度").period(new Date(2027, 3, 1))).toEqual({ from: "2026-04-01", to: "2027-03-31" });
  });
});

describe("formatPercent and formatDays", () => {
  it("show one decimal with their unit", () => {
    expect(formatPercent(66.666)).toBe("66.7%");
    expect(formatPercent(100)).toBe("100.0%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatDays(2.5)).toBe("2.5日");
    expect(formatDays(14)).toBe("14.0日");
  });

  it("show a dash when there is nothing to show", () => {
    expect(formatPercent(null)).toBe("—");
    expect(formatDays(null)).toBe("—");
  });
});

describe("chartLabel", () => {
  it("keeps names of up to 12 characters", () => {
    expect(chartLabel("中央病院")).toBe("中央病院");
    expect(chartLabel("あいうえおかきくけこさし")).toBe("あいうえおかきくけこさし");
  });

  it("cuts longer names to 12 characters and an ellipsis", () => {
    expect(chartLabel("東京都立多摩総合医療センター")).toBe("東京都立多摩総合医療セン…");
  });
});
