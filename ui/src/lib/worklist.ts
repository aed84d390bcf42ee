/**
 * A worklist threshold as typed: up to three digits (spaces around allowed).
 * Anything else becomes 0, which the backend refuses with a field error.
 */
export function parseDays(text: string): number {
  return /^\s*\d{1,3}\s*$/.test(text) ? Number(text) : 0;
}

/**
 * What the worklist says when it holds more items than it shows (the
 * backend sends the newest ones only), or null when it shows them all.
 */
export function worklistMoreText(shown: number, total: number): string | null {
  return total > shown ? `新しい順に${String(shown)}件を表示しています（全${String(total)}件）。` : null;
}

/**
 * What takes an item the user cannot dismiss off the list: a referral's ends
 * when it is answered or closed; a 訪問看護指示書's when the next order is issued.
 */
export function clearsWhen(item: { key: string }): string {
  return item.key.startsWith("nursing_order:") ? "次の指示書を発行すると消えます" : "回答・終了すると消えます";
}
