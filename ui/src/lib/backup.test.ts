import { describe, expect, it } from "vitest";
import { backupSetupSteps, checkPassphrase } from "./backup";

describe("checkPassphrase", () => {
  it("accepts twelve characters typed the same twice", () => {
    expect(checkPassphrase("さくら内科の復旧用パスワ", "さくら内科の復旧用パスワ")).toEqual([]);
  });

  it("counts Japanese characters as characters, not bytes or UTF-16 units", () => {
    expect(checkPassphrase("さくら内科の復旧用パス", "さくら内科の復旧用パス")).toEqual([
      { field: "passphrase", message: "復旧用パスフレーズは12文字以上にしてください。" },
    ]);
    const emoji = "🌸".repeat(12);
    expect(checkPassphrase(emoji, emoji)).toEqual([]);
  });

  it("says when the confirmation differs", () => {
    expect(checkPassphrase("correct horse battery", "correct horse battery!")).toEqual([
      { field: "confirmation", message: "確認のため、同じパスフレーズをもう一度入力してください。" },
    ]);
  });
});

describe("backupSetupSteps", () => {
  it("lists what is missing, the passphrase first", () => {
    expect(backupSetupSteps({ folder: null, passphraseSet: false })).toEqual([
      "復旧用パスフレーズを設定する",
      "バックアップ先のフォルダを選ぶ",
    ]);
    expect(backupSetupSteps({ folder: "/media/usb", passphraseSet: true })).toEqual([]);
  });
});
