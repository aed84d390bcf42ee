import { describe, expect, it } from "vitest";
import { clearsWhen, parseDays, worklistMoreText } from "./worklist";

describe("parseDays", () => {
  it("reads one to three digits, ignoring surrounding spaces", () => {
    expect(parseDays("7")).toBe(7);
    expect(parseDays(" 14 ")).toBe(14);
    expect(parseDays("030")).toBe(30);
    expect(parseDays("999")).toBe(999);
  });

  it("gives 0 (refused by the backend) for anything else", () => {
    expect(parseDays("")).toBe(0);
    expect(parseDays("1000")).toBe(0);
    expect(parseDays("7日")).toBe(0);
    expect(parseDays("-1")).toBe(0);
    expect(parseDays("1.5")).toBe(0);
    expect(parseDays("1 4")).toBe(0);
  });
});

describe("worklistMoreText", () => {
  it("says how many of how many are shown when the backend sent the newest only", () => {
    expect(worklistMoreText(100, 19482)).toBe("新しい順に100件を表示しています（全19482件）。");
  });

  it("says nothing when every item is shown", () => {
    expect(worklistMoreText(12, 12)).toBeNull();
    expect(worklistMoreText(0, 0)).toBeNull();
  });
});

describe("clearsWhen", () => {
  it("says what takes an item off the list", () => {
    expect(clearsWhen({ key: "nursing_order:o1:due" })).toBe("次の指示書を発行すると消えます");
    expect(clearsWhen({ key: "no_ack" })).toBe("回答・終了すると消えます");
  });
});
