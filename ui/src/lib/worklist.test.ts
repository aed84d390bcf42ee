import { describe, expect, it } from "vitest";
import { parseDays } from "./worklist";

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
