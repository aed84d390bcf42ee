import type { DirectoryBeds, DirectoryListing, DirectorySearchInput } from "../api";
import { DIRECTORY_OFFERS, ORGANISATION_KINDS } from "../api/vocabulary";
import { formatDateTime } from "./format";
import { rolesFor } from "./team";

export { ORGANISATION_KINDS, WARD_TYPES } from "../api/vocabulary";

/** The form with nothing asked (the whole directory, those taking patients first). */
export function emptySearch(municipality = ""): DirectorySearchInput {
  return { name: "", kind: "", offers: [], municipality, acceptingOnly: false, openBeds: "" };
}

/** What an organisation of `kind` may say it can do, in the profile form's order (the domain's `offers_for`). */
export function offersForKind(kind: string): readonly { code: string; label: string }[] {
  return DIRECTORY_OFFERS.find((k) => k.kind === kind)?.offers ?? [];
}

/** Choosing another kind keeps only the ticked offers that kind has; 空床 is asked of hospitals only. */
export function withKind(input: DirectorySearchInput, kind: string): DirectorySearchInput {
  const codes = new Set(offersForKind(kind).map((o) => o.code));
  return {
    ...input,
    kind,
    offers: input.offers.filter((o) => codes.has(o)),
    openBeds: kind === "" || kind === "hospital" ? input.openBeds : "",
  };
}

/** Ticks or unticks one offer, keeping the form's order. */
export function toggleOffer(input: DirectorySearchInput, code: string): DirectorySearchInput {
  const ticked = input.offers.includes(code)
    ? input.offers.filter((o) => o !== code)
    : [...input.offers, code];
  const order = offersForKind(input.kind).map((o) => o.code);
  return { ...input, offers: ticked.sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
}

/** 「地域包括ケア 空き3／40床」 for each ward type, free ones first. */
export function bedLines(beds: readonly DirectoryBeds[]): { text: string; free: boolean; at: string }[] {
  return [...beds]
    .sort((a, b) => Number(b.available > 0) - Number(a.available > 0))
    .map((b) => ({
      text: `${b.wardLabel} 空き${String(b.available)}／${String(b.capacity)}床`,
      free: b.available > 0,
      at: formatDateTime(b.updatedAt),
    }));
}

/** The class that colours 受入可 / 要相談 / 受入不可 (none said: grey). */
export function acceptingClass(code: string | null): string {
  switch (code) {
    case "yes":
      return "accepting accepting-yes";
    case "ask":
      return "accepting accepting-ask";
    case "no":
      return "accepting accepting-no";
    default:
      return "accepting accepting-unknown";
  }
}

/** 「TEL 03-… ／ FAX 03-…」, or "" when neither is known. */
export function contactOf(l: Pick<DirectoryListing, "phone" | "fax">): string {
  return [l.phone !== "" ? `TEL ${l.phone}` : "", l.fax !== "" ? `FAX ${l.fax}` : ""].filter((s) => s !== "").join(" ／ ");
}

/** 「豊島区・練馬区（半径5km）」: the area a listing serves. */
export function areaOf(l: Pick<DirectoryListing, "municipalities" | "radiusKm" | "areaDetail">): string {
  const parts = [l.municipalities.join("・"), l.radiusKm !== null ? `半径${String(l.radiusKm)}km` : ""].filter((s) => s !== "");
  const main = parts.length === 2 ? `${parts[0] ?? ""}（${parts[1] ?? ""}）` : (parts[0] ?? "");
  return [main, l.areaDetail].filter((s) => s !== "").join(" ");
}

/** Whether the team may invite an organisation of `kind` (some role fits it). */
export function mayInvite(kind: string): boolean {
  return rolesFor(kind).length > 0;
}

/**
 * Whether a listing can be a 紹介状's destination: the letter is addressed to a
 * medical institution (病院・診療所・歯科診療所) by name.
 */
export function mayBeLetterDestination(kind: string): boolean {
  return kind === "hospital" || kind === "clinic" || kind === "dental_clinic";
}

/** The kind's label, for a listing whose label did not come with it. */
export function kindLabel(kind: string): string {
  return ORGANISATION_KINDS.find((k) => k.code === kind)?.label ?? kind;
}

/** 「100件を表示（全1,234件）」, or 「3件」 when all are shown. */
export function resultCount(shown: number, total: number): string {
  const fmt = new Intl.NumberFormat("ja-JP");
  return shown < total ? `${fmt.format(shown)}件を表示（全${fmt.format(total)}件）` : `${fmt.format(total)}件`;
}
