// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, type TeamConference, type TeamConferences } from "../api";
import { TeamConferencesPanel } from "./TeamConferences";

// The Tauri boundary: commands are answered here, by name.
const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const HOSPITALS: TeamConference = {
  id: "c1",
  startsAt: "2099-12-10T05:00:00+00:00",
  when: "12月10日(木) 14:00",
  place: "北病院 3階 カンファレンス室",
  link: "https://meet.example.jp/kita-3f",
  note: "ご家族も同席されます",
  state: "scheduled",
  stateLabel: "予定",
  organiser: "北病院 MSW・連携担当者 山本",
  organisedByUs: false,
  invitees: [
    {
      memberId: "own",
      name: "つなぐ内科クリニック",
      attendance: "pending",
      attendanceLabel: "未回答",
      answeredBy: "",
      answeredAt: null,
      isOwn: true,
    },
  ],
  ownAttendance: "pending",
  mayAnswer: true,
  mayCancel: false,
  sending: false,
  withheld: false,
  refusal: null,
  hasMinutes: false,
};

function listed(overrides: Partial<TeamConferences> = {}): TeamConferences {
  return {
    teamId: "t1",
    conferences: [HOSPITALS],
    maySchedule: true,
    invitable: [
      { id: "own", name: "つなぐ内科クリニック", isOwn: true },
      { id: "nurse", name: "みどり訪問看護ステーション 田中", isOwn: false },
    ],
    ...overrides,
  };
}

async function settle() {
  await act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });
}

beforeEach(() => {
  invoke.mockReset();
});

afterEach(() => {
  cleanup();
});

describe("TeamConferencesPanel", () => {
  it("shows the hospital's conference with its link as text, and sends the clinic's answer", async () => {
    invoke.mockImplementation((command: string) => {
      if (command === "team_conferences") return Promise.resolve(listed());
      if (command === "answer_conference") {
        return Promise.resolve(
          listed({ conferences: [{ ...HOSPITALS, ownAttendance: "online", sending: true }] }),
        );
      }
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(<TeamConferencesPanel teamId="t1" refreshKey={0} />);
    await settle();
    const card = screen.getByTestId("conference");
    expect(card.dataset.conferenceId).toBe("c1");
    expect(screen.getByTestId("conference-state").textContent).toBe("予定");
    const link = screen.getByTestId<HTMLInputElement>("conference-web-link");
    expect(link.value).toBe("https://meet.example.jp/kita-3f");
    expect(link.readOnly).toBe(true);
    expect(card.querySelector("a")).toBeNull();
    expect(screen.queryByTestId("conference-cancel")).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId("conference-online"));
      await Promise.resolve();
    });
    expect(invoke).toHaveBeenCalledWith("answer_conference", { conferenceId: "c1", attendance: "online" });
    await settle();
    expect(screen.getByTestId("conference-state").textContent).toBe("予定（送信待ち）");
    expect(screen.getByTestId("conference-online").getAttribute("aria-pressed")).toBe("true");
  });

  it("lets a physician set one (14:00 by default) and shows the backend's field errors", async () => {
    invoke.mockImplementation((command: string, args?: { input: { date: string } }) => {
      if (command === "team_conferences") return Promise.resolve(listed({ conferences: [] }));
      if (command === "schedule_conference" && args?.input.date === "") {
        return Promise.reject(
          new ApiError("validation", "入力内容を確認してください。", [
            { field: "date", message: "日付と開始時刻を入力してください。" },
          ]),
        );
      }
      if (command === "schedule_conference") return Promise.resolve(listed());
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(<TeamConferencesPanel teamId="t1" refreshKey={0} />);
    await settle();
    // Nothing planned: the form stands open.
    expect(screen.queryByTestId("conference-open-form")).toBeNull();
    expect(screen.getByTestId("conference-form")).toBeTruthy();
    expect(screen.getByTestId<HTMLInputElement>("conference-time").value).toBe("14:00");
    const boxes = screen.getAllByTestId<HTMLInputElement>("conference-invitee");
    expect(boxes.map((b) => [b.dataset.memberId, b.checked])).toEqual([
      ["own", false],
      ["nurse", true],
    ]);
    await act(async () => {
      fireEvent.click(screen.getByTestId("conference-submit"));
      await Promise.resolve();
    });
    await settle();
    expect(screen.getByText("日付と開始時刻を入力してください。", { selector: ".field-error" })).toBeTruthy();

    fireEvent.input(screen.getByTestId("conference-date"), { target: { value: "2026-12-10" } });
    fireEvent.input(screen.getByTestId("conference-place"), { target: { value: "北病院" } });
    fireEvent.input(screen.getByTestId("conference-link"), { target: { value: "https://meet.example.jp/x" } });
    const [ownBox] = boxes;
    if (ownBox === undefined) throw new Error("the clinic is offered as an invitee");
    fireEvent.click(ownBox);
    await act(async () => {
      fireEvent.click(screen.getByTestId("conference-submit"));
      await Promise.resolve();
    });
    await settle();
    expect(invoke).toHaveBeenLastCalledWith("schedule_conference", {
      teamId: "t1",
      input: {
        date: "2026-12-10",
        time: "14:00",
        place: "北病院",
        link: "https://meet.example.jp/x",
        note: "",
        inviteeMemberIds: ["own", "nurse"],
      },
    });
    expect(screen.queryByTestId("conference-form")).toBeNull();
    expect(screen.getAllByTestId("conference")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("conference-open-form"));
    expect(screen.getByTestId("conference-form")).toBeTruthy();
  });

  it("offers no form to an account that may not set one, and no answer once it may not", async () => {
    invoke.mockImplementation(() =>
      Promise.resolve(listed({ maySchedule: false, conferences: [{ ...HOSPITALS, mayAnswer: false }] })),
    );
    render(<TeamConferencesPanel teamId="t1" refreshKey={0} />);
    await settle();
    expect(screen.queryByTestId("conference-open-form")).toBeNull();
    expect(screen.queryByTestId("conference-form")).toBeNull();
    expect(screen.queryByTestId("conference-attend")).toBeNull();
  });
});
