// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, type DischargeRequest } from "../api";
import { DischargeRequestCard } from "./DischargeRequestCard";

// The Tauri boundary: commands are answered here, by name.
const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const OPEN: DischargeRequest = {
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
  note: "ご家族は自宅での看取りを希望",
  state: "open",
  stateLabel: "回答待ち",
  answerText: "",
  answeredBy: "",
  answeredAt: null,
  sending: false,
  refusal: null,
  mayAnswer: true,
  mayDecide: true,
};

const LABELS: Record<string, string> = { accept: "引き受ける", decline: "引き受けられない", consult: "相談したい" };

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(
    (command: string, args?: { requestId: string; answer: string; text: string }) => {
      if (command !== "answer_discharge_request" || args === undefined) {
        return Promise.reject(new Error(`unexpected command ${command}`));
      }
      const state = { accept: "accepted", decline: "declined", consult: "consult" }[args.answer] ?? "open";
      return Promise.resolve({
        ...OPEN,
        state,
        stateLabel: LABELS[args.answer] ?? "",
        answerText: args.text.trim(),
        answeredBy: "鈴木　一郎",
        sending: true,
        mayAnswer: false,
      });
    },
  );
});

afterEach(() => {
  cleanup();
});

describe("DischargeRequestCard", () => {
  it("shows the request and accepts it with one click", async () => {
    const answered = vi.fn();
    render(<DischargeRequestCard request={OPEN} onAnswered={answered} />);
    expect(screen.getByText("北病院から退院後の在宅医療の相談")).toBeTruthy();
    expect(screen.getByText("在宅酸素、看取り")).toBeTruthy();
    expect(screen.getByTestId("discharge-state").textContent).toBe("回答待ち（回答期限 令和8年11月26日）");
    expect(screen.getByTestId("discharge-request").dataset.requestId).toBe("d1");
    await act(async () => {
      fireEvent.click(screen.getByTestId("discharge-accept"));
      await Promise.resolve();
    });
    expect(invoke).toHaveBeenCalledWith("answer_discharge_request", { requestId: "d1", answer: "accept", text: "" });
    expect(answered).toHaveBeenCalledWith(expect.objectContaining({ state: "accepted", sending: true }));
  });

  it("asks for the reason before a decline is sent", async () => {
    render(<DischargeRequestCard request={OPEN} onAnswered={vi.fn()} />);
    fireEvent.click(screen.getByTestId("discharge-decline"));
    expect(screen.queryByTestId("discharge-accept")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("discharge-send").disabled).toBe(true);
    fireEvent.input(screen.getByTestId("discharge-reason"), { target: { value: "訪問診療の枠がありません" } });
    expect(screen.getByTestId<HTMLButtonElement>("discharge-send").disabled).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByTestId("discharge-send"));
      await Promise.resolve();
    });
    expect(invoke).toHaveBeenCalledWith("answer_discharge_request", {
      requestId: "d1",
      answer: "decline",
      text: "訪問診療の枠がありません",
    });
  });

  it("sends a consult without text, and shows the backend's refusal", async () => {
    invoke.mockImplementationOnce(() =>
      Promise.reject(new ApiError("conflict", "この相談は回答期限を過ぎました。病院の連携室に電話でお伝えください")),
    );
    render(<DischargeRequestCard request={OPEN} onAnswered={vi.fn()} />);
    fireEvent.click(screen.getByTestId("discharge-consult"));
    expect(screen.getByTestId<HTMLButtonElement>("discharge-send").disabled).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByTestId("discharge-send"));
      await Promise.resolve();
    });
    expect(invoke).toHaveBeenCalledWith("answer_discharge_request", { requestId: "d1", answer: "consult", text: "" });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "この相談は回答期限を過ぎました。病院の連携室に電話でお伝えください",
    );
  });

  it("shows a nurse the request with a note instead of the buttons", () => {
    render(<DischargeRequestCard request={{ ...OPEN, mayDecide: false }} onAnswered={vi.fn()} />);
    for (const id of ["discharge-accept", "discharge-decline", "discharge-consult"]) {
      expect(screen.queryByTestId(id)).toBeNull();
    }
    expect(screen.getByTestId("discharge-doctor-only").textContent).toBe("回答は医師のアカウントで行えます");
  });

  it("offers no answer once answered, and says the server refused one", () => {
    render(
      <DischargeRequestCard
        request={{
          ...OPEN,
          state: "expired",
          stateLabel: "期限切れ（回答なし）",
          mayAnswer: false,
          refusal: "この相談は回答期限を過ぎました。病院の連携室に電話でお伝えください",
        }}
        onAnswered={vi.fn()}
      />,
    );
    expect(screen.queryByTestId("discharge-accept")).toBeNull();
    expect(screen.getByTestId("discharge-state").textContent).toBe("期限切れ（回答なし）");
    expect(screen.getByTestId("discharge-refusal").textContent).toContain("回答期限を過ぎました");
  });
});
