import { describe, expect, it } from "vitest";
import type { Board, BoardRow, ReferralEvent } from "../api";
import {
  DISCHARGE_DESTINATIONS,
  EMPTY_EVENT,
  RECORDABLE_STATUSES,
  REFERRAL_STATUSES,
  boardCountText,
  boardGroupOf,
  boardPageCount,
  daysAgoText,
  formatFileSize,
  hospitalOptions,
  referredToText,
  voidableEvents,
} from "./referrals";

function event(id: string, status: string | null, voided = false): ReferralEvent {
  return {
    id,
    title: status ?? "記録の取り消し",
    status,
    date: "令和8年12月1日",
    summary: "",
    note: "",
    source: "この医院",
    actor: "",
    recordedAt: "2026-12-01T00:00:00Z",
    voided,
    setAside: false,
  };
}

function row(overrides: Partial<BoardRow> = {}): BoardRow {
  return {
    referralId: "r1",
    patientId: "p1",
    patientName: "山田 花子",
    trackingCode: "TK-0001",
    status: "admitted",
    statusLabel: "入院中",
    referredTo: "中央病院",
    hospital: "北病院",
    whereNow: "北病院 4階東病棟",
    sentOn: "令和8年11月1日",
    lastNews: "令和8年11月20日",
    daysSinceNews: 3,
    open: true,
    overdue: null,
    replied: false,
    ...overrides,
  };
}

function board(total: number, rows: number, page = 0, pageSize = 50): Board {
  const list = Array.from({ length: rows }, (_, i) => row({ referralId: `r${String(i)}` }));
  return { rows: list, total, page, pageSize, hospitals: [] };
}

describe("referral statuses", () => {
  it("follow the status machine's order with Japanese labels", () => {
    expect(REFERRAL_STATUSES.map((s) => s.code)).toEqual([
      "sent",
      "received",
      "visited",
      "admitted",
      "discharge_planned",
      "transferred",
      "discharged",
      "returned",
      "deceased",
      "closed",
      "cancelled",
    ]);
    expect(REFERRAL_STATUSES.find((s) => s.code === "discharge_planned")?.label).toBe("退院調整中");
    expect(new Set(REFERRAL_STATUSES.map((s) => s.label)).size).toBe(REFERRAL_STATUSES.length);
  });

  it("recordable by hand are all but 紹介済, which issuing the letter records", () => {
    expect(RECORDABLE_STATUSES.map((s) => s.code)).toEqual(REFERRAL_STATUSES.slice(1).map((s) => s.code));
    expect(RECORDABLE_STATUSES.some((s) => s.label === "紹介済")).toBe(false);
  });
});

describe("DISCHARGE_DESTINATIONS", () => {
  it("asks for a name except when the patient comes back to this clinic", () => {
    expect(DISCHARGE_DESTINATIONS.map((d) => [d.code, d.name])).toEqual([
      ["this_clinic", undefined],
      ["other_home_care_doctor", "在宅医（医療機関名・医師名）"],
      ["facility", "施設名"],
      ["other", "退院先"],
    ]);
  });
});

describe("EMPTY_EVENT", () => {
  it("has every field of the event form empty", () => {
    expect(Object.keys(EMPTY_EVENT)).toHaveLength(13);
    expect(Object.values(EMPTY_EVENT).every((v) => v === "")).toBe(true);
  });
});

describe("voidableEvents", () => {
  it("offers status entries in force after the first one", () => {
    const events = [event("sent", "sent"), event("recv", "received"), event("adm", "admitted")];
    expect(voidableEvents(events).map((e) => e.id)).toEqual(["recv", "adm"]);
  });

  it("leaves out voided entries and the voiding entries themselves", () => {
    const events = [
      event("sent", "sent"),
      event("recv", "received", true),
      event("void", null),
      event("visit", "visited"),
    ];
    expect(voidableEvents(events).map((e) => e.id)).toEqual(["visit"]);
  });

  it("offers nothing for a referral that was only sent", () => {
    expect(voidableEvents([event("sent", "sent")])).toEqual([]);
    expect(voidableEvents([])).toEqual([]);
  });
});

describe("formatFileSize", () => {
  it("shows whole kilobytes below a megabyte, never 0KB", () => {
    expect(formatFileSize(0)).toBe("1KB");
    expect(formatFileSize(300)).toBe("1KB");
    expect(formatFileSize(1536)).toBe("2KB");
    expect(formatFileSize(700 * 1024)).toBe("700KB");
  });

  it("shows megabytes with one decimal from 1MB", () => {
    expect(formatFileSize(1024 * 1024)).toBe("1.0MB");
    expect(formatFileSize(5.5 * 1024 * 1024)).toBe("5.5MB");
    expect(formatFileSize(20 * 1024 * 1024)).toBe("20.0MB");
  });
});

describe("the referral board", () => {
  it("groups rows by status or hospital, and not otherwise", () => {
    const r = row();
    expect(boardGroupOf(r, "status")).toBe("入院中");
    expect(boardGroupOf(r, "hospital")).toBe("北病院");
    expect(boardGroupOf(r, "attention")).toBeNull();
    expect(boardGroupOf(r, "sent")).toBeNull();
  });

  it("counts all rows when they fit on one page", () => {
    expect(boardCountText(board(3, 3))).toBe("3件");
  });

  it("says which rows a later page shows", () => {
    expect(boardCountText(board(1234, 50, 2))).toBe("1,234件中 101〜150件を表示");
    expect(boardCountText(board(120, 20, 2))).toBe("120件中 101〜120件を表示");
  });

  it("needs as many pages as the total fills", () => {
    expect(boardPageCount(board(0, 0))).toBe(0);
    expect(boardPageCount(board(50, 50))).toBe(1);
    expect(boardPageCount(board(101, 50))).toBe(3);
  });

  it("shows the days since the last news", () => {
    expect(daysAgoText(0)).toBe("今日");
    expect(daysAgoText(1)).toBe("1日前");
    expect(daysAgoText(1200)).toBe("1,200日前");
  });

  it("offers the board's hospitals, or the chosen one until it has loaded", () => {
    expect(hospitalOptions(null, "")).toEqual([]);
    expect(hospitalOptions(null, "中央病院")).toEqual(["中央病院"]);
    expect(hospitalOptions({ ...board(0, 0), hospitals: ["中央病院", "北病院"] }, "南病院")).toEqual([
      "中央病院",
      "北病院",
    ]);
  });
});

describe("referred-to text", () => {
  it("names the hospital the letter went to, or says there was no letter", () => {
    expect(referredToText(row())).toBe("中央病院");
    expect(referredToText(row({ referredTo: "" }))).toBe("紹介状なし入院");
  });
});
