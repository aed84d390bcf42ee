import { describe, expect, it } from "vitest";
import { ApiError } from "../api";
import { SEX_LABELS, firstErrorMessage, formatCount, formatDateTime, toFieldErrors } from "./format";

describe("SEX_LABELS", () => {
  it("labels every sex the backend sends in Japanese", () => {
    expect(SEX_LABELS).toEqual({ male: "男性", female: "女性", other: "その他" });
  });
});

describe("formatCount", () => {
  it("groups thousands the Japanese way", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("leaves small numbers and zero alone", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
  });
});

// vitest.config.ts pins TZ to Asia/Tokyo (UTC+9, no daylight saving).
describe("formatDateTime", () => {
  it("shows an RFC 3339 instant in the clinic's local time", () => {
    expect(formatDateTime("2026-12-01T00:30:00Z")).toBe("2026/12/1 09:30");
  });

  it("honours the offset in the input", () => {
    expect(formatDateTime("2026-03-05T23:07:00+09:00")).toBe("2026/3/5 23:07");
  });

  it("rolls over to the next day (and year) in local time", () => {
    expect(formatDateTime("2026-12-31T15:00:00Z")).toBe("2027/1/1 00:00");
  });

  it("shows unparsable input as is rather than 'Invalid Date'", () => {
    expect(formatDateTime("令和8年12月1日")).toBe("令和8年12月1日");
    expect(formatDateTime("")).toBe("");
  });
});

describe("toFieldErrors", () => {
  it("maps each field to its message", () => {
    expect(
      toFieldErrors([
        { field: "name", message: "氏名を入力してください。" },
        { field: "birthDate", message: "生年月日を入力してください。" },
      ]),
    ).toEqual({ name: "氏名を入力してください。", birthDate: "生年月日を入力してください。" });
  });

  it("keeps the first message when a field has several", () => {
    const errors = toFieldErrors([
      { field: "phone", message: "最初の問題" },
      { field: "phone", message: "二つ目の問題" },
    ]);
    expect(errors.phone).toBe("最初の問題");
    expect(Object.keys(errors)).toEqual(["phone"]);
  });

  it("gives no entry for fields without errors", () => {
    const errors = toFieldErrors([]);
    expect(errors).toEqual({});
    expect(errors.name).toBeUndefined();
  });
});

describe("firstErrorMessage", () => {
  it("prefers the first field's message", () => {
    const error = new ApiError("validation", "入力内容を確認してください。", [
      { field: "sentFrom", message: "紹介日（から）の形式が正しくありません。" },
      { field: "sentTo", message: "紹介日（まで）の形式が正しくありません。" },
    ]);
    expect(firstErrorMessage(error)).toBe("紹介日（から）の形式が正しくありません。");
  });

  it("falls back to the error's own message", () => {
    expect(firstErrorMessage(new ApiError("store_unavailable", "データを読み込めませんでした。"))).toBe(
      "データを読み込めませんでした。",
    );
  });
});
