import { afterEach, describe, expect, it, vi } from "vitest";
import { fiscalYearStart, isoDate, today } from "./dates";

afterEach(() => {
  vi.useRealTimers();
});

describe("isoDate", () => {
  it("writes a local date as YYYY-MM-DD with zero padding", () => {
    expect(isoDate(new Date(2026, 0, 5))).toBe("2026-01-05");
    expect(isoDate(new Date(2026, 11, 31, 23, 59))).toBe("2026-12-31");
  });
});

describe("today", () => {
  it("is the local calendar date, not the UTC one", () => {
    vi.useFakeTimers();
    // 00:30 on 1 April in Tokyo is still 31 March in UTC.
    vi.setSystemTime(new Date("2027-03-31T15:30:00Z"));
    expect(today()).toBe("2027-04-01");
  });
});

describe("fiscalYearStart", () => {
  it("is 1 April of this year from April on", () => {
    expect(isoDate(fiscalYearStart(new Date(2026, 3, 1), 0))).toBe("2026-04-01");
    expect(isoDate(fiscalYearStart(new Date(2026, 11, 6), 0))).toBe("2026-04-01");
  });

  it("is 1 April of last year from January to March", () => {
    expect(isoDate(fiscalYearStart(new Date(2027, 0, 1), 0))).toBe("2026-04-01");
    expect(isoDate(fiscalYearStart(new Date(2027, 2, 31), 0))).toBe("2026-04-01");
  });

  it("goes back whole fiscal years", () => {
    expect(isoDate(fiscalYearStart(new Date(2026, 11, 6), 1))).toBe("2025-04-01");
    expect(isoDate(fiscalYearStart(new Date(2027, 1, 10), 2))).toBe("2024-04-01");
  });
});
