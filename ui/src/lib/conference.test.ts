import { describe, expect, it } from "vitest";
import type { ConferenceInvitable, ConferenceInvitee, TeamConference } from "../api";
import {
  CONFERENCE_FIELD_LABELS,
  DEFAULT_START_TIME,
  answeredCount,
  attendanceButtons,
  conferenceCount,
  conferenceStateClass,
  conferenceStateLine,
  emptyConferenceInput,
  formOpenByDefault,
  inviteeLine,
  sortConferences,
  toggleInvitee,
} from "./conference";

const INVITABLE: ConferenceInvitable[] = [
  { id: "own", name: "つなぐ内科クリニック", isOwn: true },
  { id: "nurse", name: "みどり訪問看護ステーション 田中", isOwn: false },
  { id: "hospital", name: "北病院", isOwn: false },
];

function invitee(overrides: Partial<ConferenceInvitee> = {}): ConferenceInvitee {
  return {
    memberId: "nurse",
    name: "みどり訪問看護ステーション 田中",
    attendance: "pending",
    attendanceLabel: "未回答",
    answeredBy: "",
    answeredAt: null,
    isOwn: false,
    ...overrides,
  };
}

function conference(overrides: Partial<TeamConference> = {}): TeamConference {
  return {
    id: "c1",
    startsAt: "2026-12-10T05:00:00+00:00",
    when: "12月10日(木) 14:00",
    place: "北病院 3階 カンファレンス室",
    link: "",
    note: "",
    state: "scheduled",
    stateLabel: "予定",
    organiser: "北病院 MSW・連携担当者 山本",
    organisedByUs: false,
    invitees: [invitee()],
    ownAttendance: "pending",
    mayAnswer: true,
    mayCancel: false,
    sending: false,
    withheld: false,
    refusal: null,
    hasMinutes: false,
    ...overrides,
  };
}

describe("the form", () => {
  it("starts at 14:00 with everyone but the clinic invited", () => {
    expect(DEFAULT_START_TIME).toBe("14:00");
    expect(emptyConferenceInput(INVITABLE)).toEqual({
      date: "",
      time: "14:00",
      place: "",
      link: "",
      note: "",
      inviteeMemberIds: ["nurse", "hospital"],
    });
    expect(emptyConferenceInput([]).inviteeMemberIds).toEqual([]);
  });

  it("ticks and unticks members, keeping the team's order", () => {
    expect(toggleInvitee(INVITABLE, ["hospital"], "own", true)).toEqual(["own", "hospital"]);
    expect(toggleInvitee(INVITABLE, ["nurse", "hospital"], "nurse", false)).toEqual(["hospital"]);
    expect(toggleInvitee(INVITABLE, ["nurse"], "nurse", true)).toEqual(["nurse"]);
    // A member no longer invitable drops out.
    expect(toggleInvitee(INVITABLE, ["gone", "nurse"], "hospital", true)).toEqual(["nurse", "hospital"]);
  });

  it("labels every field the backend may name", () => {
    expect(Object.keys(CONFERENCE_FIELD_LABELS).sort()).toEqual(["date", "invitees", "link", "note", "place", "time"]);
  });
});

describe("a conference as shown", () => {
  it("says where it stands", () => {
    expect(conferenceStateLine(conference())).toBe("予定");
    expect(conferenceStateClass(conference())).toBe("status");
    expect(conferenceStateLine(conference({ sending: true }))).toBe("予定（送信待ち）");
    expect(conferenceStateClass(conference({ sending: true }))).toBe("status status-pending");
    expect(conferenceStateLine(conference({ state: "cancelled", stateLabel: "中止" }))).toBe("中止");
    expect(conferenceStateClass(conference({ state: "cancelled" }))).toBe("status status-muted");
    expect(conferenceStateLine(conference({ withheld: true }))).toBe("予定（同意の撤回により未送信）");
    expect(conferenceStateClass(conference({ refusal: "理由" }))).toBe("status status-conflict");
    expect(conferenceStateLine(conference({ refusal: "理由" }))).toBe("予定（送信できませんでした）");
  });

  it("lists each invitee with the answer and who gave it", () => {
    expect(inviteeLine(invitee())).toBe("みどり訪問看護ステーション 田中：未回答");
    expect(
      inviteeLine(invitee({ attendanceLabel: "出席", answeredBy: "みどり訪問看護ステーション 看護師 田中" })),
    ).toBe("みどり訪問看護ステーション 田中：出席（みどり訪問看護ステーション 看護師 田中）");
    expect(inviteeLine(invitee({ isOwn: true, name: "つなぐ内科クリニック", attendanceLabel: "オンライン" }))).toBe(
      "つなぐ内科クリニック（当院）：オンライン",
    );
    expect(inviteeLine(invitee({ isOwn: true, name: "" }))).toBe("当院（当院）：未回答");
    expect(inviteeLine(invitee({ name: "" }))).toBe("（チームを離れたメンバー）：未回答");
    expect(answeredCount([invitee(), invitee({ attendance: "absent" }), invitee({ attendance: "online" })])).toBe(
      "回答 2/3",
    );
  });

  it("offers the clinic's three answers, the current one pressed, only while it may answer", () => {
    expect(attendanceButtons(conference({ ownAttendance: "online" }))).toEqual([
      { code: "attend", label: "出席", testId: "conference-attend", pressed: false },
      { code: "online", label: "オンライン", testId: "conference-online", pressed: true },
      { code: "absent", label: "欠席", testId: "conference-absent", pressed: false },
    ]);
    expect(attendanceButtons(conference({ mayAnswer: false }))).toEqual([]);
  });

  it("puts what is still to come first, the nearest first, then the rest, the latest first", () => {
    const now = new Date("2026-11-24T00:00:00Z");
    const list = [
      conference({ id: "past", startsAt: "2026-11-01T05:00:00Z", state: "held" }),
      conference({ id: "far", startsAt: "2027-01-10T05:00:00Z" }),
      conference({ id: "cancelled", startsAt: "2026-12-01T05:00:00Z", state: "cancelled" }),
      conference({ id: "near", startsAt: "2026-11-26T05:00:00Z" }),
      conference({ id: "older", startsAt: "2026-10-01T05:00:00Z", state: "held" }),
    ];
    expect(sortConferences(list, now).map((c) => c.id)).toEqual(["near", "far", "cancelled", "past", "older"]);
    expect(conferenceCount(list)).toBe(2);
    expect(formOpenByDefault(list)).toBe(false);
    expect(formOpenByDefault([])).toBe(true);
    expect(formOpenByDefault([conference({ state: "cancelled" })])).toBe(true);
  });
});
