import type {
  DirectoryOrganisation,
  PostInput,
  TeamBadge,
  TeamEntry,
  TeamMember,
  TeamReceipt,
  TeamVitals,
  VitalsInput,
} from "../api";
import { ORGANISATION_KINDS, TEAM_ROLES } from "../api/vocabulary";
import { formatDateTime } from "./format";

export { ENTRY_KINDS, FIRST_CONTACT_TOPICS, ORGANISATION_KINDS } from "../api/vocabulary";

/** The roles an organisation of `kind` may take on the team (the domain's rule, from vocabulary.ts). */
export function rolesFor(kind: string): { code: string; label: string }[] {
  return TEAM_ROLES.filter((r) => r.kinds.includes(kind)).map(({ code, label }) => ({ code, label }));
}

/**
 * The directory narrowed to one kind (or all, for ""), and to names that contain
 * the typed text: a region lists hundreds of organisations.
 */
export function filterDirectory(
  organisations: readonly DirectoryOrganisation[],
  kind: string,
  text: string,
): DirectoryOrganisation[] {
  const needle = text.trim();
  return organisations.filter((o) => (kind === "" || o.kind === kind) && (needle === "" || o.name.includes(needle)));
}

/** The kinds the directory actually lists, in the vocabulary's order, for the kind filter. */
export function kindsListed(organisations: readonly DirectoryOrganisation[]): { code: string; label: string }[] {
  return ORGANISATION_KINDS.filter((k) => organisations.some((o) => o.kind === k.code));
}

/** 「TEL 03-… ／ FAX 03-…」, or "" when neither is known. */
export function contactLine(m: Pick<TeamMember, "phone" | "fax">): string {
  return [m.phone !== "" ? `TEL ${m.phone}` : null, m.fax !== "" ? `FAX ${m.fax}` : null]
    .filter((x) => x !== null)
    .join(" ／ ");
}

/**
 * Until when a member of the ward (invited by the hospital's liaison) sees
 * the team: set when the patient leaves that hospital; null while open.
 */
export function accessLine(m: Pick<TeamMember, "state" | "accessUntil">, now: Date): string | null {
  if (m.accessUntil === null || m.state !== "active") return null;
  const until = formatDateTime(m.accessUntil);
  return new Date(m.accessUntil) > now ? `${until}まで閲覧可` : `${until}で閲覧終了`;
}

/** The state's look: joined, waiting for an answer, or no longer on the team. */
export function memberStateClass(state: string): string {
  if (state === "active") return "status";
  if (state === "invited" || state === "awaiting_approval") return "status status-pending";
  return "status status-muted";
}

/** Members still on the team (or invited) first, then the ones who left, declined or expired. */
export function sortMembers(members: readonly TeamMember[]): TeamMember[] {
  const rank = (m: TeamMember) =>
    m.isOwn ? 0 : m.state === "active" ? 1 : m.state === "invited" || m.state === "awaiting_approval" ? 2 : 3;
  return [...members].sort((a, b) => rank(a) - rank(b));
}

/** One row per vital sign recorded, as the small table shows them. */
export function vitalsRows(v: TeamVitals | null): { label: string; value: string }[] {
  if (v === null) return [];
  const rows: { label: string; value: string }[] = [];
  if (v.bodyTemperature !== null) rows.push({ label: "体温", value: `${v.bodyTemperature.toFixed(1)}℃` });
  if (v.systolic !== null && v.diastolic !== null) {
    rows.push({ label: "血圧", value: `${v.systolic}/${v.diastolic} mmHg` });
  }
  if (v.pulse !== null) rows.push({ label: "脈拍", value: `${v.pulse} 回/分` });
  if (v.spo2 !== null) rows.push({ label: "SpO2", value: `${v.spo2}%` });
  if (v.respiratoryRate !== null) rows.push({ label: "呼吸数", value: `${v.respiratoryRate} 回/分` });
  if (v.weight !== null) rows.push({ label: "体重", value: `${v.weight.toFixed(1)} kg` });
  return rows;
}

export const EMPTY_VITALS: VitalsInput = {
  bodyTemperature: "",
  systolic: "",
  diastolic: "",
  pulse: "",
  spo2: "",
  respiratoryRate: "",
  weight: "",
};

/** The vital-sign fields of a 訪問報告, in the order a nurse reads them out. */
export const VITALS_FIELDS: readonly { name: keyof VitalsInput; label: string; unit: string }[] = [
  { name: "bodyTemperature", label: "体温", unit: "℃" },
  { name: "systolic", label: "血圧（上）", unit: "mmHg" },
  { name: "diastolic", label: "血圧（下）", unit: "mmHg" },
  { name: "pulse", label: "脈拍", unit: "回/分" },
  { name: "spo2", label: "SpO2", unit: "%" },
  { name: "respiratoryRate", label: "呼吸数", unit: "回/分" },
  { name: "weight", label: "体重", unit: "kg" },
];

/** A new post of `kind`, or a reply / correction of an entry (same kind, as the domain asks). */
export function emptyPost(kind = "note", about: { replyTo?: string; strikes?: TeamEntry } = {}): PostInput {
  return {
    kind: about.strikes?.kind ?? kind,
    body: "",
    vitals: EMPTY_VITALS,
    replyTo: about.replyTo ?? null,
    strikes: about.strikes?.id ?? null,
  };
}

/**
 * What is sent: vital signs only with a 訪問報告 (a kind changed after typing
 * them must not carry them along).
 */
export function postToSend(input: PostInput): PostInput {
  return input.kind === "visit_report" ? input : { ...input, vitals: EMPTY_VITALS };
}

/** The kind's badge class: 緊急 stands out, 相談 asks for an answer. */
export function kindClass(kind: string): string {
  switch (kind) {
    case "urgent":
      return "kind-badge kind-urgent";
    case "request":
      return "kind-badge kind-request";
    case "visit_report":
      return "kind-badge kind-visit";
    case "referral_event":
      return "kind-badge kind-referral";
    default:
      return "kind-badge";
  }
}

/** What an entry's state says beside it (未送信 for a post still in the outbox). */
export function entryStateLabel(state: string): string | null {
  switch (state) {
    case "pending":
      return "未送信";
    case "withheld":
      return "未送信（同意撤回のため送信しません）";
    case "refused":
      return "送信できませんでした";
    default:
      return null;
  }
}

/** The receipts' list for the 既読 tooltip: who, when read, when acknowledged. */
export function receiptLines(receipts: readonly TeamReceipt[]): string[] {
  return receipts.map((r) => {
    const read = `${r.reader} ${formatDateTime(r.readAt)} 既読`;
    return r.acknowledgedAt === null ? read : `${read}・${formatDateTime(r.acknowledgedAt)} 確認`;
  });
}

/** The header badge's text, or null when there is nothing to see. */
export function badgeText(badge: TeamBadge | null): string | null {
  if (badge === null) return null;
  const parts = [
    badge.unread > 0 ? `未読 ${badge.unread}` : null,
    badge.openRequests > 0 ? `相談 ${badge.openRequests}` : null,
  ].filter((x) => x !== null);
  return parts.length === 0 ? null : `在宅チーム ${parts.join("・")}`;
}

/** Entries (posts and replies) still waiting in the outbox. */
export function pendingCount(posts: readonly TeamEntry[]): number {
  return posts.reduce(
    (n, p) => n + (p.state === "pending" ? 1 : 0) + p.replies.filter((r) => r.state === "pending").length,
    0,
  );
}
