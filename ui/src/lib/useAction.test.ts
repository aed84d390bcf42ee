// @vitest-environment happy-dom
import { act, cleanup, renderHook } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api";
import { useAction } from "./useAction";

afterEach(cleanup);

/** A promise with its settle functions, to look at the hook while an action runs. */
function deferred() {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("useAction", () => {
  it("starts idle, without an error", () => {
    const { result } = renderHook(() => useAction());
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("is busy while the action runs, and idle after it succeeded", async () => {
    const { result } = renderHook(() => useAction());
    const action = deferred();
    let running!: Promise<void>;
    await act(() => {
      running = result.current.run(() => action.promise);
    });
    expect(result.current.busy).toBe(true);
    await act(async () => {
      action.resolve();
      await running;
    });
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("keeps the backend's error as an ApiError", async () => {
    const { result } = renderHook(() => useAction());
    // The backend rejects with a plain AppError object, not an Error.
    const action = vi.fn().mockRejectedValue({
      code: "validation",
      message: "入力内容を確認してください。",
      fields: [{ field: "name", message: "氏名を入力してください。" }],
    });
    await act(() => result.current.run(action));
    expect(action).toHaveBeenCalledTimes(1);
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeInstanceOf(ApiError);
    expect(result.current.error?.code).toBe("validation");
    expect(result.current.error?.fields).toEqual([{ field: "name", message: "氏名を入力してください。" }]);
  });

  it("turns any other failure into an internal error", async () => {
    const { result } = renderHook(() => useAction());
    await act(() => result.current.run(() => Promise.reject(new Error("boom"))));
    expect(result.current.error?.code).toBe("internal");
    expect(result.current.error?.message).not.toContain("boom");
  });

  it("clears the last error when the next action starts", async () => {
    const { result } = renderHook(() => useAction());
    await act(() => result.current.run(() => Promise.reject(new ApiError("conflict", "他の端末で変更されました。"))));
    expect(result.current.error?.message).toBe("他の端末で変更されました。");
    const action = deferred();
    let running!: Promise<void>;
    await act(() => {
      running = result.current.run(() => action.promise);
    });
    expect(result.current.error).toBeNull();
    await act(async () => {
      action.resolve();
      await running;
    });
  });

  it("lets the form set or clear the error itself", async () => {
    const { result } = renderHook(() => useAction());
    const error = new ApiError("not_found", "患者が見つかりません。");
    await act(() => {
      result.current.setError(error);
    });
    expect(result.current.error).toBe(error);
    await act(() => {
      result.current.setError(null);
    });
    expect(result.current.error).toBeNull();
  });
});
