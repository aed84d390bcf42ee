import { describe, expect, it } from "vitest";
import type { SharingFeeRecord, SharingFeeReportRow } from "../api";
import { japanMonth, missingText, othersText, policyText, previousMonth, sharingFeeInput, splitRecords } from "./sharingFee";

function record(over: Partial<SharingFeeRecord>): SharingFeeRecord {
  return {
    id: "r1",
    month: "2026-11",
    monthLabel: "令和8年11月",
    nextVisit: "2026-12-08",
    nextVisitLabel: "令和8年12月8日",
    policyChanged: false,
    changeSummary: "",
    carePoints: "夜間の呼吸苦は訪問看護に連絡",
    shared: true,
    counts: true,
    recordedBy: "医師 鈴木 一郎",
    recordedAt: "2026-11-24T01:00:00+00:00",
    ...over,
  };
}

describe("japanMonth", () => {
  it("counts the month in Japan time", () => {
    // 23:30 UTC on 30 November is 08:30 on 1 December in Japan.
    expect(japanMonth(new Date("2026-11-30T23:30:00Z"))).toBe("2026-12");
    expect(japanMonth(new Date("2026-11-30T14:59:00Z"))).toBe("2026-11");
  });
});

describe("previousMonth", () => {
  it("steps back over a year's end", () => {
    expect(previousMonth("2026-12")).toBe("2026-11");
    expect(previousMonth("2027-01")).toBe("2026-12");
  });
});

describe("sharingFeeInput", () => {
  it("opens the month's counting record to record again", () => {
    const records = [record({ id: "new", policyChanged: true, changeSummary: "利尿薬を増量" }), record({ id: "old", counts: false })];
    const input = sharingFeeInput(records, "2026-11");
    expect(input.policyChanged).toBe(true);
    expect(input.changeSummary).toBe("利尿薬を増量");
    expect(input.nextVisit).toBe("2026-12-08");
  });

  it("asks a new month's plan again and carries over only the care points", () => {
    const input = sharingFeeInput([record({})], "2026-12");
    expect(input).toEqual({ month: "2026-12", nextVisit: "", policyChanged: null, changeSummary: "", carePoints: "夜間の呼吸苦は訪問看護に連絡" });
    expect(sharingFeeInput([], "2026-12").carePoints).toBe("");
  });
});

describe("splitRecords and policyText", () => {
  it("shows one record a month and keeps the others one click away", () => {
    const { counting, earlier } = splitRecords([record({ id: "a" }), record({ id: "b", counts: false }), record({ id: "c", month: "2026-10" })]);
    expect(counting.map((r) => r.id)).toEqual(["a", "c"]);
    expect(earlier.map((r) => r.id)).toEqual(["b"]);
  });

  it("says the change with its summary", () => {
    expect(policyText(record({}))).toBe("なし");
    expect(policyText(record({ policyChanged: true, changeSummary: "利尿薬を増量" }))).toBe("あり：利尿薬を増量");
  });
});

describe("the report's texts", () => {
  const row: SharingFeeReportRow = {
    patientId: "p",
    patientName: "山田 太郎",
    patientKana: "ヤマダ タロウ",
    chartNumber: null,
    record: null,
    othersPosts: 2,
    othersRead: 1,
    othersAcknowledged: 0,
    checks: [
      { code: "consent", label: "情報共有への患者の同意", shortLabel: "同意", met: true },
      { code: "month_record", label: "当月の記録", shortLabel: "当月の記録", met: false },
      { code: "others_read", label: "他職種の記録の確認（既読）", shortLabel: "他職種の記録の既読", met: false },
    ],
    complete: false,
  };

  it("names what is missing, or says it is complete", () => {
    expect(missingText(row)).toBe("当月の記録、他職種の記録の確認（既読）");
    expect(missingText({ ...row, checks: row.checks.map((c) => ({ ...c, met: true })) })).toBe("充足");
  });

  it("counts the others' posts with what was read and acknowledged", () => {
    expect(othersText(row)).toBe("2件（既読1・確認0）");
    expect(othersText({ ...row, othersPosts: 0 })).toBe("なし");
  });
});
