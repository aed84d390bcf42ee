// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SyncIndicator } from "./SyncIndicator";

// The Tauri boundary: commands are answered here, by name.
const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

// As the backend sends it (JSON numbers, RFC 3339 times).
const ENROLLED = {
  lastSyncedAt: "2026-12-01T00:30:00Z",
  lastAttemptAt: "2026-12-01T00:30:00Z",
  lastError: null,
  pending: 0,
  refused: 0,
  newsArrivals: 0,
};

/** Answers sync_state with each of `states` in turn (the last one from then on). */
function syncStates(...states: unknown[]) {
  let i = 0;
  invoke.mockImplementation((command: string) => {
    if (command === "sync_state") return Promise.resolve(states[Math.min(i++, states.length - 1)]);
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
}

async function renderIndicator(onSynced = vi.fn()) {
  const view = render(<SyncIndicator onSynced={onSynced} />);
  // Let the first sync_state answer arrive.
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
  return view;
}

beforeEach(() => {
  vi.useFakeTimers();
  invoke.mockReset();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("SyncIndicator", () => {
  it("shows nothing before this install is enrolled", async () => {
    syncStates(null);
    const { container } = await renderIndicator();
    expect(invoke).toHaveBeenCalledWith("sync_state", undefined);
    expect(container.innerHTML).toBe("");
  });

  it("shows the last sync in local time and nothing pending", async () => {
    syncStates(ENROLLED);
    await renderIndicator();
    expect(document.getElementById("sync-last")?.textContent).toBe("2026/12/1 09:30");
    expect(document.getElementById("sync-pending")?.textContent).toBe("未送信 0件");
    expect(document.getElementById("sync-pending")?.className).toBe("sync-pending");
    expect(document.getElementById("sync-refused")).toBeNull();
    expect(document.getElementById("sync-error")).toBeNull();
  });

  it("says 未同期, what waits to be sent, what was refused and that the server is unreachable", async () => {
    syncStates({ ...ENROLLED, lastSyncedAt: null, pending: 3, refused: 2, lastError: "サーバーに接続できません。" });
    await renderIndicator();
    expect(document.getElementById("sync-last")?.textContent).toBe("未同期");
    expect(document.getElementById("sync-pending")?.textContent).toBe("未送信 3件");
    expect(document.getElementById("sync-pending")?.className).toBe("sync-pending sync-pending-some");
    expect(document.getElementById("sync-refused")?.textContent).toBe("同期できなかった変更 2件");
    expect(document.getElementById("sync-error")?.getAttribute("title")).toBe("サーバーに接続できません。");
  });

  it("reloads the screens when a background sync brought news, not on the first look", async () => {
    const onSynced = vi.fn();
    syncStates({ ...ENROLLED, newsArrivals: 4 }, { ...ENROLLED, newsArrivals: 4 }, { ...ENROLLED, newsArrivals: 5 });
    await renderIndicator(onSynced);
    expect(onSynced).not.toHaveBeenCalled();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(15_000);
    });
    expect(onSynced).not.toHaveBeenCalled();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(15_000);
    });
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(onSynced).toHaveBeenCalledTimes(1);
  });

  it("今すぐ同期 syncs, reloads the screens and reads the state again", async () => {
    const onSynced = vi.fn();
    let finish!: (report: unknown) => void;
    invoke.mockImplementation((command: string) => {
      if (command === "sync_state") return Promise.resolve(ENROLLED);
      if (command === "sync_now") return new Promise((resolve) => (finish = resolve));
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    await renderIndicator(onSynced);
    const button = screen.getByRole<HTMLButtonElement>("button", { name: "今すぐ同期" });
    fireEvent.click(button);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(button.textContent).toBe("同期中…");
    expect(button.disabled).toBe(true);
    await act(async () => {
      finish({ pushed: 1, refused: 0, pulled: 0, news: 0 });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(onSynced).toHaveBeenCalledTimes(1);
    expect(button.textContent).toBe("今すぐ同期");
    expect(button.disabled).toBe(false);
    expect(invoke.mock.calls.filter(([command]) => command === "sync_state")).toHaveLength(2);
  });

  it("shows a failed 今すぐ同期 as unreachable, with the error's message as its title", async () => {
    const onSynced = vi.fn();
    // The backend rejects with a plain AppError object.
    const syncNow = vi.fn<() => Promise<unknown>>().mockRejectedValue({ code: "network", message: "地域連携サーバーに接続できませんでした。", fields: [] });
    invoke.mockImplementation((command: string) => {
      if (command === "sync_state") return Promise.resolve(ENROLLED);
      if (command === "sync_now") return syncNow();
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    await renderIndicator(onSynced);
    fireEvent.click(screen.getByRole("button", { name: "今すぐ同期" }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(onSynced).not.toHaveBeenCalled();
    expect(document.getElementById("sync-error")?.getAttribute("title")).toBe("地域連携サーバーに接続できませんでした。");
  });
});
