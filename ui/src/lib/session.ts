import type { FieldError, Session } from "../api";

/** Which screen the session calls for, before the app itself. */
export type SessionScreen = "first-account" | "sign-in" | "locked" | "change-password" | "app";

export function sessionScreen(session: Session): SessionScreen {
  if (session.firstAccountNeeded) return "first-account";
  if (session.account === null) return "sign-in";
  if (session.locked) return "locked";
  if (session.account.mustChangePassword) return "change-password";
  return "app";
}

/** How often, at most, the window tells the backend the user is still at work. */
export const STILL_HERE_EVERY_MS = 30_000;

/**
 * The window's own idle check (the backend enforces the same limit on every command):
 * true once nothing was typed or clicked for the lock time.
 */
export function idleTooLong(lastInputMs: number, nowMs: number, lockMinutes: number): boolean {
  return nowMs - lastInputMs >= lockMinutes * 60_000;
}

/** Whether to send a still-here now: there was input since the last one, and it is time. */
export function shouldSayStillHere(lastInputMs: number, lastSentMs: number, nowMs: number): boolean {
  return lastInputMs > lastSentMs && nowMs - lastSentMs >= STILL_HERE_EVERY_MS;
}

/** The confirmation field's refusal when the new password was not typed the same twice. */
export function checkConfirmation(secret: string, confirmation: string): FieldError[] {
  return secret === confirmation
    ? []
    : [{ field: "confirmation", message: "同じパスワードをもう一度入力してください。" }];
}
