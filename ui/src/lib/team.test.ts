import { describe, expect, it } from "vitest";
import type { DirectoryOrganisation, TeamEntry, TeamMember } from "../api";
import {
  EMPTY_VITALS,
  accessLine,
  badgeText,
  contactLine,
  emptyPost,
  entryStateLabel,
  filterDirectory,
  kindsListed,
  memberStateClass,
  pendingCount,
  postToSend,
  receiptLines,
  rolesFor,
  sortMembers,
  vitalsRows,
} from "./team";

const ORGS: DirectoryOrganisation[] = [
  { id: "o1", name: "みどり訪問看護ステーション", kind: "visiting_nurse_station", kindLabel: "訪問看護ステーション", phone: "", fax: "" },
  { id: "o2", name: "ひかり薬局", kind: "pharmacy", kindLabel: "保険薬局", phone: "", fax: "" },
  { id: "o3", name: "みどり薬局", kind: "pharmacy", kindLabel: "保険薬局", phone: "", fax: "" },
];

function member(id: string, state: string, isOwn = false): TeamMember {
  return {
    id,
    name: id,
    kindLabel: "",
    role: "visiting_nurse",
    roleLabel: "訪問看護",
    person: "",
    phone: "",
    fax: "",
    relation: "",
    state,
    stateLabel: "",
    expiresAt: null,
    accessUntil: null,
    firstContactFor: [],
    firstContactLabels: [],
    isOwn,
    mayResend: false,
    mayCancel: false,
    mayRemove: false,
    mayBeFirstContact: false,
  };
}

function entry(id: string, state: string, replies: TeamEntry[] = []): TeamEntry {
  return {
    id,
    kind: "note",
    kindLabel: "連絡",
    body: "",
    author: "",
    postedAt: "2026-11-24T00:00:00Z",
    state,
    mine: true,
    unread: false,
    vitals: null,
    requestState: null,
    requestStateLabel: null,
    struckBy: null,
    strikes: null,
    replyTo: null,
    attachments: [],
    readLabel: "既読 0/0",
    acknowledgedLabel: "確認 0/0",
    receipts: [],
    acknowledgedByUs: false,
    mayAcknowledge: false,
    mayReply: false,
    mayCorrect: false,
    mayClose: false,
    replies,
  };
}

describe("rolesFor", () => {
  it("offers only the roles the domain lets the kind hold", () => {
    expect(rolesFor("pharmacy").map((r) => r.code)).toEqual(["pharmacist"]);
    expect(rolesFor("visiting_nurse_station").map((r) => r.code)).toEqual(["visiting_nurse", "rehabilitation"]);
    expect(rolesFor("desk")).toEqual([]);
  });
});

describe("filterDirectory", () => {
  it("narrows by kind and by a part of the name", () => {
    expect(filterDirectory(ORGS, "pharmacy", "").map((o) => o.id)).toEqual(["o2", "o3"]);
    expect(filterDirectory(ORGS, "", "みどり").map((o) => o.id)).toEqual(["o1", "o3"]);
    expect(filterDirectory(ORGS, "pharmacy", " みどり ").map((o) => o.id)).toEqual(["o3"]);
    expect(kindsListed(ORGS).map((k) => k.code)).toEqual(["visiting_nurse_station", "pharmacy"]);
  });
});

describe("members", () => {
  it("shows the numbers known, the state's look, and the team before those who left", () => {
    expect(contactLine({ phone: "03-1", fax: "03-2" })).toBe("TEL 03-1 ／ FAX 03-2");
    expect(contactLine({ phone: "", fax: "03-2" })).toBe("FAX 03-2");
    expect(contactLine({ phone: "", fax: "" })).toBe("");
    expect(memberStateClass("active")).toBe("status");
    expect(memberStateClass("awaiting_approval")).toBe("status status-pending");
    expect(memberStateClass("expired")).toBe("status status-muted");
    const ward = { ...member("ward", "active"), accessUntil: "2026-12-21T01:00:00Z" };
    expect(accessLine(ward, new Date("2026-12-10T00:00:00Z"))).toMatch(/まで閲覧可$/);
    expect(accessLine(ward, new Date("2026-12-22T00:00:00Z"))).toMatch(/で閲覧終了$/);
    expect(accessLine(member("open", "active"), new Date())).toBeNull();
    expect(accessLine({ ...ward, state: "removed" }, new Date())).toBeNull();
    const sorted = sortMembers([member("gone", "left"), member("inv", "invited"), member("act", "active"), member("own", "active", true)]);
    expect(sorted.map((m) => m.id)).toEqual(["own", "act", "inv", "gone"]);
  });
});

describe("vitalsRows", () => {
  it("lists only what was recorded, blood pressure as one row", () => {
    expect(vitalsRows(null)).toEqual([]);
    expect(
      vitalsRows({ bodyTemperature: 37, systolic: 128, diastolic: 76, pulse: null, spo2: 97, respiratoryRate: null, weight: null }),
    ).toEqual([
      { label: "体温", value: "37.0℃" },
      { label: "血圧", value: "128/76 mmHg" },
      { label: "SpO2", value: "97%" },
    ]);
  });
});

describe("posts", () => {
  it("a correction keeps the original's kind; vital signs go with a 訪問報告 only", () => {
    const original = { ...entry("e1", "confirmed"), kind: "request" };
    expect(emptyPost("note", { strikes: original })).toMatchObject({ kind: "request", strikes: "e1", replyTo: null });
    expect(emptyPost("urgent", { replyTo: "e2" })).toMatchObject({ kind: "urgent", replyTo: "e2", strikes: null });
    const typed = { ...emptyPost("visit_report"), vitals: { ...EMPTY_VITALS, pulse: "72" } };
    expect(postToSend(typed).vitals.pulse).toBe("72");
    expect(postToSend({ ...typed, kind: "note" }).vitals).toEqual(EMPTY_VITALS);
  });

  it("says which posts wait in the outbox, replies included", () => {
    expect(entryStateLabel("pending")).toBe("未送信");
    expect(entryStateLabel("confirmed")).toBeNull();
    expect(pendingCount([entry("a", "pending", [entry("b", "pending"), entry("c", "confirmed")]), entry("d", "confirmed")])).toBe(2);
  });
});

describe("receipts and the badge", () => {
  it("lists who read and acknowledged, and hides an empty badge", () => {
    const lines = receiptLines([
      { reader: "田中", readAt: "2026-11-24T00:00:00Z", acknowledgedAt: null, pending: false },
      { reader: "佐藤", readAt: "2026-11-24T00:00:00Z", acknowledgedAt: "2026-11-24T01:00:00Z", pending: false },
    ]);
    expect(lines[0]).toMatch(/^田中 .* 既読$/);
    expect(lines[1]).toMatch(/^佐藤 .* 既読・.* 確認$/);
    expect(badgeText(null)).toBeNull();
    expect(badgeText({ unread: 0, openRequests: 0 })).toBeNull();
    expect(badgeText({ unread: 3, openRequests: 1 })).toBe("在宅チーム 未読 3・相談 1");
    expect(badgeText({ unread: 0, openRequests: 2 })).toBe("在宅チーム 相談 2");
  });
});
