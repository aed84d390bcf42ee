import type { Destination, LetterKind } from "../api";
import { formatDateTime } from "./format";

export const LETTER_TITLES: Record<LetterKind, string> = {
  referral: "診療情報提供書",
  discharge: "退院時サマリー",
};

/** Where the letter form's autosave stands. */
export type SaveState =
  | { kind: "saved"; at: string }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "failed"; message: string };

/** The line beside the letter's title telling whether the draft is saved. */
export function saveText(save: SaveState): string {
  switch (save.kind) {
    case "saved":
      return `下書き保存済み（${formatDateTime(save.at)}）`;
    case "pending":
      return "入力中…";
    case "saving":
      return "保存中…";
    case "failed":
      return `下書きを保存できませんでした：${save.message}`;
  }
}

export function sameDestination(a: Destination, b: Destination): boolean {
  return a.institution === b.institution && a.department === b.department && a.doctor === b.doctor;
}

/** The destination chips: duplicates dropped (the first kept), at most eight. */
export function uniqueDestinations(list: readonly Destination[]): Destination[] {
  const out: Destination[] = [];
  for (const d of list) {
    if (!out.some((o) => sameDestination(o, d))) out.push(d);
  }
  return out.slice(0, 8);
}

/** A destination's parts joined by a full-width space, leaving out the empty ones. */
export function joinNonEmpty(parts: readonly string[]): string {
  return parts.filter((s) => s !== "").join("　");
}

/** The badge of an issued letter: 発行済 for the first version, 第N版 for corrections. */
export function versionBadge(version: number): string {
  return version > 1 ? `第${String(version)}版` : "発行済";
}
