import { describe, expect, it } from "vitest";
import type { DischargeRequest } from "../api";
import {
  answerButtons,
  answerDetail,
  doctorOnlyNote,
  isAnswered,
  mayCompose,
  maySend,
  needsLine,
  replaceRequest,
  requestTitle,
  splitByReferral,
  stateClass,
  stateLine,
  textLabel,
  waitingForAnswer,
} from "./discharge";

function request(overrides: Partial<DischargeRequest> = {}): DischargeRequest {
  return {
    id: "d1",
    referralId: "r1",
    patientId: "p1",
    patientName: "山田　太郎",
    hospital: "北病院",
    sentBy: "北病院 MSW・連携担当者 山本",
    sentAt: "2026-11-24T00:00:00+00:00",
    expectedDate: "令和8年11月30日",
    replyBy: "令和8年11月26日",
    needs: ["home_oxygen", "end_of_life"],
    needLabels: ["在宅酸素", "看取り"],
    note: "",
    state: "open",
    stateLabel: "回答待ち",
    answerText: "",
    answeredBy: "",
    answeredAt: null,
    sending: false,
    refusal: null,
    mayAnswer: true,
    mayDecide: true,
    ...overrides,
  };
}

describe("the card's text", () => {
  it("names the hospital and what the patient will need", () => {
    expect(requestTitle(request())).toBe("北病院から退院後の在宅医療の相談");
    expect(needsLine(["在宅酸素", "看取り"])).toBe("在宅酸素、看取り");
    expect(needsLine([])).toBe("記載なし");
  });

  it("says where the request stands", () => {
    expect(stateLine(request())).toBe("回答待ち（回答期限 令和8年11月26日）");
    expect(stateLine(request({ state: "accepted", stateLabel: "引き受ける", sending: true }))).toBe(
      "回答：引き受ける（送信待ち）",
    );
    expect(stateLine(request({ state: "declined", stateLabel: "引き受けられない" }))).toBe("回答：引き受けられない");
    expect(stateLine(request({ state: "cancelled", stateLabel: "取消" }))).toBe("病院が取り消しました");
    expect(stateLine(request({ state: "expired", stateLabel: "期限切れ（回答なし）" }))).toBe("期限切れ（回答なし）");
  });

  it("looks waiting, answered or closed", () => {
    expect(stateClass("open")).toBe("status status-pending");
    expect(stateClass("consult")).toBe("status");
    expect(stateClass("expired")).toBe("status status-muted");
    expect(stateClass("cancelled")).toBe("status status-muted");
    expect(["accepted", "declined", "consult"].every(isAnswered)).toBe(true);
    expect(["open", "cancelled", "expired"].some(isAnswered)).toBe(false);
  });

  it("shows who answered and why", () => {
    expect(answerDetail(request())).toBeNull();
    expect(
      answerDetail(request({ state: "declined", answerText: "訪問診療の枠がありません", answeredBy: "鈴木　一郎" })),
    ).toBe("訪問診療の枠がありません（鈴木　一郎）");
    expect(answerDetail(request({ state: "accepted", answeredBy: "鈴木　一郎" }))).toBe("回答者（鈴木　一郎）");
    expect(answerDetail(request({ state: "accepted" }))).toBeNull();
  });
});

describe("answering", () => {
  it("offers the three answers only while open and nothing is being written", () => {
    expect(answerButtons(request(), null)).toEqual({ accept: true, decline: true, consult: true });
    expect(answerButtons(request(), "decline")).toEqual({ accept: false, decline: false, consult: false });
    expect(answerButtons(request({ mayAnswer: false, state: "expired" }), null)).toEqual({
      accept: false,
      decline: false,
      consult: false,
    });
  });

  it("offers them only to an account that may answer, and tells the others who may", () => {
    const nurse = request({ mayDecide: false });
    expect(answerButtons(nurse, null)).toEqual({ accept: false, decline: false, consult: false });
    expect(mayCompose(nurse)).toBe(false);
    expect(doctorOnlyNote(nurse)).toBe("回答は医師のアカウントで行えます");
    expect(doctorOnlyNote(request())).toBeNull();
    expect(mayCompose(request())).toBe(true);
    // Nothing to say once it can no longer be answered.
    expect(doctorOnlyNote(request({ mayDecide: false, mayAnswer: false, state: "accepted" }))).toBeNull();
  });

  it("needs a reason to decline, nothing to consult", () => {
    expect(textLabel("decline")).toBe("引き受けられない理由（必須）");
    expect(textLabel("consult")).toBe("相談したいこと（任意）");
    expect(maySend("decline", "  ")).toBe(false);
    expect(maySend("decline", "枠がありません")).toBe(true);
    expect(maySend("consult", "")).toBe(true);
    expect(maySend(null, "text")).toBe(false);
  });
});

describe("lists", () => {
  it("counts what still waits for an answer", () => {
    expect(waitingForAnswer([request(), request({ id: "d2", mayAnswer: false, state: "accepted", sending: true })])).toBe(1);
  });

  it("replaces the answered request in place", () => {
    const list = [request(), request({ id: "d2" })];
    const answered = request({ id: "d2", state: "accepted", mayAnswer: false });
    expect(replaceRequest(list, answered).map((r) => r.state)).toEqual(["open", "accepted"]);
  });

  it("puts each request under its referral, and the rest apart", () => {
    const list = [request(), request({ id: "d2", referralId: "r2" }), request({ id: "d3" })];
    const { byReferral, others } = splitByReferral(list, ["r1"]);
    expect(byReferral.get("r1")?.map((r) => r.id)).toEqual(["d1", "d3"]);
    expect(others.map((r) => r.id)).toEqual(["d2"]);
  });
});
