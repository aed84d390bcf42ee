import { describe, expect, it } from "vitest";
import type { IntakeRequest } from "../api";
import {
  intakeAnswerButtons,
  intakeDoctorOnly,
  intakeStateLine,
  intakeTitle,
  mayAnswerWith,
  mayInviteFrom,
  patientLine,
  splitIntakes,
  toggleNeed,
  waitingIntakes,
  withIntake,
} from "./intake";

function request(overrides: Partial<IntakeRequest> = {}): IntakeRequest {
  return {
    id: "r1",
    sentByUs: true,
    fromName: "さくら内科クリニック",
    fromPhone: "03-0000-0000",
    toOrg: "o1",
    toName: "練馬みどり訪問看護ステーション",
    toKindLabel: "訪問看護ステーション",
    age: 76,
    sexLabel: "男性",
    municipality: "練馬区",
    needs: ["around_24h"],
    needLabels: ["24時間対応"],
    startOn: "",
    summary: "膵癌末期",
    state: "open",
    stateLabel: "回答待ち",
    sentBy: "さくら内科クリニック 佐藤",
    sentAt: "2026-11-24T00:00:00Z",
    answerText: "",
    answeredBy: "",
    answeredAt: null,
    patientId: "p1",
    patientName: "山田　太郎",
    sending: false,
    refusal: null,
    mayAnswer: false,
    mayWithdraw: true,
    mayDecide: true,
    ...overrides,
  };
}

describe("受入相談", () => {
  it("ticks and unticks a need", () => {
    const input = { age: "", sex: "", municipality: "", needs: ["a"], startOn: "", summary: "" };
    expect(toggleNeed(input, "b").needs).toEqual(["a", "b"]);
    expect(toggleNeed(input, "a").needs).toEqual([]);
  });

  it("splits sent from received and counts those waiting for our answer", () => {
    const sent = request();
    const asked = request({ id: "r2", sentByUs: false, mayAnswer: true });
    const answered = request({ id: "r3", sentByUs: false, state: "accepted", mayAnswer: false });
    const { sent: s, received } = splitIntakes([sent, asked, answered]);
    expect(s.map((r) => r.id)).toEqual(["r1"]);
    expect(received.map((r) => r.id)).toEqual(["r2", "r3"]);
    expect(waitingIntakes([sent, asked, answered])).toBe(1);
  });

  it("names the other side and the anonymous patient", () => {
    expect(intakeTitle(request())).toBe("練馬みどり訪問看護ステーションへの受入相談");
    expect(intakeTitle(request({ sentByUs: false }))).toBe("さくら内科クリニックからの受入相談");
    expect(patientLine(request())).toBe("76歳・男性・練馬区");
    expect(patientLine(request({ age: null, sexLabel: "", municipality: "" }))).toBe("記載なし");
  });

  it("says where it stands", () => {
    expect(intakeStateLine(request())).toBe("回答待ち");
    expect(intakeStateLine(request({ state: "accepted", stateLabel: "受けられる", sending: true }))).toBe(
      "回答：受けられる（送信待ち）",
    );
    expect(intakeStateLine(request({ state: "withdrawn", stateLabel: "取り下げ" }))).toBe("取り下げ");
  });

  it("offers the answers to a doctor only, and a decline needs its reason", () => {
    const asked = request({ sentByUs: false, mayAnswer: true });
    expect(intakeAnswerButtons(asked, null)).toBe(true);
    expect(intakeAnswerButtons(asked, "decline")).toBe(false);
    expect(intakeAnswerButtons({ ...asked, mayDecide: false }, null)).toBe(false);
    expect(intakeDoctorOnly({ ...asked, mayDecide: false })).toBe("回答は医師のアカウントで行えます");
    expect(intakeDoctorOnly(asked)).toBeNull();
    expect(mayAnswerWith("decline", " ")).toBe(false);
    expect(mayAnswerWith("decline", "枠がありません")).toBe(true);
    expect(mayAnswerWith("consult", "")).toBe(true);
    expect(mayAnswerWith(null, "x")).toBe(false);
  });

  it("offers the team's invitation for an accepted request about a patient", () => {
    expect(mayInviteFrom(request({ state: "accepted" }))).toBe(true);
    expect(mayInviteFrom(request())).toBe(false);
    expect(mayInviteFrom(request({ state: "accepted", patientId: null }))).toBe(false);
    expect(mayInviteFrom(request({ state: "accepted", sentByUs: false }))).toBe(false);
  });

  it("replaces a request, or adds a new one first", () => {
    const a = request();
    const b = request({ id: "r2" });
    expect(withIntake([a, b], { ...b, state: "accepted" }).map((r) => r.state)).toEqual(["open", "accepted"]);
    expect(withIntake([a], b).map((r) => r.id)).toEqual(["r2", "r1"]);
  });
});
