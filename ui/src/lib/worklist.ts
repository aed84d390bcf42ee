/**
 * A worklist threshold as typed: up to three digits (spaces around allowed).
 * Anything else becomes 0, which the backend refuses with a field error.
 */
export function parseDays(text: string): number {
  return /^\s*\d{1,3}\s*$/.test(text) ? Number(text) : 0;
}
