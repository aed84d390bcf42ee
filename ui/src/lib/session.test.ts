import { describe, expect, it } from "vitest";
import type { Session } from "../api";
import { checkConfirmation, idleTooLong, sessionScreen, shouldSayStillHere } from "./session";

const account = {
  login: "sato",
  displayName: "佐藤 花子",
  role: "doctor",
  roleLabel: "医師",
  isAdmin: true,
  mustChangePassword: false,
  hasPin: false,
};

function session(overrides: Partial<Session>): Session {
  return { firstAccountNeeded: false, account, locked: false, pinUnlocks: false, lockMinutes: 10, ...overrides };
}

describe("sessionScreen", () => {
  it("asks for the first administrator before anything else", () => {
    expect(sessionScreen(session({ firstAccountNeeded: true, account: null }))).toBe("first-account");
  });

  it("asks to sign in, then to unlock, then for a new password after a reset", () => {
    expect(sessionScreen(session({ account: null }))).toBe("sign-in");
    expect(sessionScreen(session({ locked: true }))).toBe("locked");
    expect(sessionScreen(session({ account: { ...account, mustChangePassword: true } }))).toBe("change-password");
    expect(sessionScreen(session({}))).toBe("app");
  });
});

describe("idle", () => {
  it("locks after the lock time without input", () => {
    expect(idleTooLong(0, 9 * 60_000, 10)).toBe(false);
    expect(idleTooLong(0, 10 * 60_000, 10)).toBe(true);
  });

  it("says still-here only after input, at most every 30 seconds", () => {
    expect(shouldSayStillHere(1000, 0, 10_000)).toBe(false);
    expect(shouldSayStillHere(1000, 0, 30_000)).toBe(true);
    expect(shouldSayStillHere(0, 0, 60_000)).toBe(false);
  });
});

describe("checkConfirmation", () => {
  it("refuses a password typed differently the second time, on the confirmation field", () => {
    expect(checkConfirmation("same-password", "same-password")).toEqual([]);
    expect(checkConfirmation("same-password", "same-passwore")).toEqual([
      { field: "confirmation", message: "同じパスワードをもう一度入力してください。" },
    ]);
  });
});
