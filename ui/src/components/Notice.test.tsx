// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Notice } from "./Notice";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("Notice", () => {
  it("keeps its live region mounted while there is no message", () => {
    render(<Notice message={null} onDismiss={vi.fn()} />);
    const region = screen.getByRole("status");
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(region.textContent).toBe("");
  });

  it("shows the message and dismisses itself after six seconds", async () => {
    const onDismiss = vi.fn();
    render(<Notice message="山田 花子 さんを登録しました。" onDismiss={onDismiss} />);
    expect(document.getElementById("notice")?.textContent).toContain("山田 花子 さんを登録しました。");
    await act(() => {
      vi.advanceTimersByTime(5999);
    });
    expect(onDismiss).not.toHaveBeenCalled();
    await act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it("can be closed at once", () => {
    const onDismiss = vi.fn();
    render(<Notice message="保存しました。" onDismiss={onDismiss} />);
    fireEvent.click(screen.getByRole("button", { name: "閉じる" }));
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it("starts the six seconds again for a new message", async () => {
    const onDismiss = vi.fn();
    const { rerender } = render(<Notice message="一つ目" onDismiss={onDismiss} />);
    await act(() => {
      vi.advanceTimersByTime(4000);
    });
    rerender(<Notice message="二つ目" onDismiss={onDismiss} />);
    await act(() => {
      vi.advanceTimersByTime(4000);
    });
    expect(onDismiss).not.toHaveBeenCalled();
    await act(() => {
      vi.advanceTimersByTime(2000);
    });
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });
});
