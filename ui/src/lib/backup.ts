import type { FieldError } from "../api";

/** The shortest recovery passphrase the app accepts (as the Rust side's MIN_PASSPHRASE_CHARS). */
export const MIN_PASSPHRASE_CHARS = 12;

/**
 * The passphrase form's own checks before it is sent: long enough, and
 * typed the same twice. Characters are counted as the user sees them
 * (code points), as Rust counts `chars()`.
 */
export function checkPassphrase(passphrase: string, confirmation: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Array.from(passphrase).length < MIN_PASSPHRASE_CHARS) {
    errors.push({
      field: "passphrase",
      message: `復旧用パスフレーズは${MIN_PASSPHRASE_CHARS}文字以上にしてください。`,
    });
  }
  if (passphrase !== confirmation) {
    errors.push({ field: "confirmation", message: "確認のため、同じパスフレーズをもう一度入力してください。" });
  }
  return errors;
}

/** What still has to be done before automatic backups run, in order. */
export function backupSetupSteps(status: { folder: string | null; passphraseSet: boolean }): string[] {
  const steps: string[] = [];
  if (!status.passphraseSet) steps.push("復旧用パスフレーズを設定する");
  if (status.folder === null) steps.push("バックアップ先のフォルダを選ぶ");
  return steps;
}
