import { describe, expect, it } from "vitest";
import type { DirectoryBeds } from "../api";
import {
  acceptingClass,
  areaOf,
  bedLines,
  contactOf,
  emptySearch,
  mayBeLetterDestination,
  mayInvite,
  offersForKind,
  resultCount,
  toggleOffer,
  withKind,
} from "./directory";

describe("the search form", () => {
  it("offers each kind's capabilities in the domain's order", () => {
    const station = offersForKind("visiting_nurse_station").map((o) => o.label);
    expect(station).toContain("24時間対応");
    expect(station).toContain("看取り");
    expect(offersForKind("hospital").map((o) => o.code)).toContain("backup_beds");
    expect(offersForKind("clinic").map((o) => o.code)).not.toContain("backup_beds");
    expect(offersForKind("care_service")).toEqual([]);
    expect(offersForKind("")).toEqual([]);
  });

  it("keeps the ticked offers in the form's order, and unticks on a second click", () => {
    let input = withKind(emptySearch(), "clinic");
    input = toggleOffer(input, "end_of_life");
    input = toggleOffer(input, "home_visits");
    expect(input.offers).toEqual(["home_visits", "end_of_life"]);
    input = toggleOffer(input, "end_of_life");
    expect(input.offers).toEqual(["home_visits"]);
  });

  it("drops what another kind cannot offer, and beds but for hospitals", () => {
    let input = withKind(emptySearch("豊島区"), "hospital");
    input = toggleOffer(toggleOffer(input, "around_24h"), "backup_beds");
    input = { ...input, openBeds: "community_care" };
    const station = withKind(input, "visiting_nurse_station");
    expect(station.offers).toEqual(["around_24h"]);
    expect(station.openBeds).toBe("");
    expect(station.municipality).toBe("豊島区");
    expect(withKind(input, "").openBeds).toBe("community_care");
  });
});

describe("a result", () => {
  const bed = (wardLabel: string, available: number, capacity: number): DirectoryBeds => ({
    wardType: "general",
    wardLabel,
    available,
    capacity,
    updatedAt: "2026-11-20T01:30:00Z",
  });

  it("shows free beds first, each with its figures", () => {
    const lines = bedLines([bed("一般", 0, 50), bed("地域包括ケア", 3, 40)]);
    expect(lines.map((l) => l.text)).toEqual(["地域包括ケア 空き3／40床", "一般 空き0／50床"]);
    expect(lines.map((l) => l.free)).toEqual([true, false]);
  });

  it("colours 受入可, 要相談, 受入不可 and the unsaid apart", () => {
    expect(new Set(["yes", "ask", "no", null].map(acceptingClass)).size).toBe(4);
  });

  it("joins its contact and its area", () => {
    expect(contactOf({ phone: "03-1111-2222", fax: "" })).toBe("TEL 03-1111-2222");
    expect(contactOf({ phone: "", fax: "" })).toBe("");
    expect(areaOf({ municipalities: ["豊島区", "練馬区"], radiusKm: 5, areaDetail: "" })).toBe("豊島区・練馬区（半径5km）");
    expect(areaOf({ municipalities: [], radiusKm: null, areaDetail: "要相談" })).toBe("要相談");
  });

  it("is invited by kinds a team role fits, and addressed by a letter when medical", () => {
    expect(mayInvite("visiting_nurse_station")).toBe(true);
    expect(mayInvite("pharmacy")).toBe(true);
    expect(mayBeLetterDestination("hospital")).toBe(true);
    expect(mayBeLetterDestination("clinic")).toBe(true);
    expect(mayBeLetterDestination("pharmacy")).toBe(false);
  });

  it("says how many were shown of how many", () => {
    expect(resultCount(3, 3)).toBe("3件");
    expect(resultCount(100, 1234)).toBe("100件を表示（全1,234件）");
  });
});
