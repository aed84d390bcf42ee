import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  dismissWorklistItem,
  getStartupState,
  isAppError,
  recordReply,
  saveConsent,
  searchPatients,
  setFavouriteDestination,
  startLetter,
  toApiError,
  voidReferralEvent,
  type AppError,
  type ReplyInput,
} from ".";

// The Tauri boundary: every wrapper ends in invoke(), which is replaced here.
vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

const GENERIC_MESSAGE =
  "予期しないエラーが発生しました。もう一度お試しください。繰り返し起きる場合はアプリを再起動してください。";

/** What a promise rejected with; fails the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (reason) {
    return reason;
  }
  throw new Error("expected the call to reject, but it resolved");
}

const VALIDATION: AppError = {
  code: "validation",
  message: "入力内容を確認してください。",
  fields: [
    { field: "name", message: "氏名を入力してください。" },
    { field: "birthDate", message: "生年月日の形式が正しくありません。" },
  ],
};

beforeEach(() => {
  invokeMock.mockReset();
});

describe("the call wrapper", () => {
  it("resolves with what the command returned", async () => {
    const result = { patients: [], total: 0, totalCapped: false };
    invokeMock.mockResolvedValue(result);
    await expect(searchPatients("やまだ", true)).resolves.toBe(result);
  });

  it("sends the command name and its camelCase arguments", async () => {
    invokeMock.mockResolvedValue(null);
    await searchPatients("やまだ", true);
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).toHaveBeenCalledWith("search_patients", { query: "やまだ", includeDeleted: true });
  });

  it("sends no arguments for a command that takes none", async () => {
    invokeMock.mockResolvedValue({ status: "ready", clinic: null, dataDir: "/data" });
    await getStartupState();
    expect(invokeMock).toHaveBeenCalledWith("get_startup_state", undefined);
  });

  it.each([
    ["start_letter", () => startLetter("p1", "referral"), { patientId: "p1", kind: "referral" }],
    [
      "void_referral_event",
      () => voidReferralEvent("r1", "e1", "重複"),
      { referralId: "r1", eventId: "e1", reason: "重複" },
    ],
    [
      "dismiss_worklist_item",
      () => dismissWorklistItem("r1", "ack:r1", "電話で確認"),
      { referralId: "r1", key: "ack:r1", reason: "電話で確認" },
    ],
    [
      "set_favourite_destination",
      () => setFavouriteDestination({ institution: "中央病院", department: "内科", doctor: "" }, false),
      { destination: { institution: "中央病院", department: "内科", doctor: "" }, favourite: false },
    ],
    [
      "record_reply",
      () => recordReply("r1", { receivedOn: "R8.12.10" } as ReplyInput, null),
      { referralId: "r1", input: { receivedOn: "R8.12.10" }, attachment: null },
    ],
  ] as const)("%s gets the arguments the Rust command names", async (command, callIt, args) => {
    invokeMock.mockResolvedValue(null);
    await callIt();
    expect(invokeMock).toHaveBeenCalledWith(command, args);
  });

  it("passes a null consent id through (a new consent), not undefined", async () => {
    invokeMock.mockResolvedValue(null);
    const input = {
      obtainedOn: "2026-12-01",
      obtainedBy: "看護師 佐藤",
      shareWithDesk: true,
      shareWithHospital: false,
      shareWithTeam: true,
      byFamily: false,
      familyName: "",
      familyRelation: "",
      withdrawnOn: "",
      preregistration: false,
      preregisteredWith: [],
    };
    await saveConsent("p1", null, input);
    expect(invokeMock).toHaveBeenCalledWith("save_consent", { patientId: "p1", consentId: null, input });
  });

  it("turns the backend's AppError into an ApiError with its code, message and fields", async () => {
    invokeMock.mockRejectedValue(VALIDATION);
    const error = await rejectionOf(searchPatients("", false));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "ApiError",
      code: "validation",
      message: "入力内容を確認してください。",
      fields: VALIDATION.fields,
    });
  });

  it("shows a generic Japanese message for a plain string rejection, keeping it as the cause", async () => {
    invokeMock.mockRejectedValue("command search_patients not found");
    const error = await rejectionOf(searchPatients("", false));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "internal", message: GENERIC_MESSAGE, fields: [] });
    expect((error as ApiError).cause).toBe("command search_patients not found");
  });

  it("never shows a thrown Error's own text", async () => {
    const thrown = new TypeError("window.__TAURI_INTERNALS__ is undefined");
    invokeMock.mockRejectedValue(thrown);
    const error = await rejectionOf(getStartupState());
    expect(error).toMatchObject({ code: "internal", message: GENERIC_MESSAGE });
    expect((error as ApiError).cause).toBe(thrown);
  });
});

describe("toApiError", () => {
  it("returns an ApiError unchanged", () => {
    const original = new ApiError("conflict", "他の端末で変更されました。");
    expect(toApiError(original)).toBe(original);
  });

  it("keeps every backend error code", () => {
    for (const code of ["not_found", "store_key_wrong", "network"] as const) {
      expect(toApiError({ code, message: "m", fields: [] }).code).toBe(code);
    }
  });

  it.each([
    ["an unknown code", { code: "teapot", message: "m", fields: [] }],
    ["a code inherited from Object.prototype", { code: "toString", message: "m", fields: [] }],
    ["a non-string message", { code: "validation", message: 42, fields: [] }],
    ["fields that are not an array", { code: "validation", message: "m", fields: {} }],
    ["a malformed field error", { code: "validation", message: "m", fields: [{ field: "name" }] }],
    ["null", null],
    ["undefined", undefined],
    ["a number", 500],
  ])("treats %s as an internal error", (_, reason) => {
    const error = toApiError(reason);
    expect(error.code).toBe("internal");
    expect(error.message).toBe(GENERIC_MESSAGE);
    expect(error.fields).toEqual([]);
    expect(error.cause).toBe(reason);
  });
});

describe("isAppError", () => {
  it("accepts the backend's error shape", () => {
    expect(isAppError(VALIDATION)).toBe(true);
    expect(isAppError({ code: "internal", message: "", fields: [] })).toBe(true);
  });

  it("rejects anything missing a part", () => {
    expect(isAppError({ code: "validation", message: "m" })).toBe(false);
    expect(isAppError({ message: "m", fields: [] })).toBe(false);
    expect(isAppError("validation")).toBe(false);
  });
});
