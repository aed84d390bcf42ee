import type { Consent, ConsentInput, FieldError, RegionalHospital } from "../api";
import { today } from "./dates";

/**
 * The consent form's values: a stored consent's, or for a new one today, both
 * referral recipients, given by the patient. The home-care team and 事前登録 are
 * not ticked for a new consent: each is a separate thing the patient (or
 * family) must be asked about.
 */
export function consentInput(consent: Consent | null): ConsentInput {
  return consent === null
    ? {
        obtainedOn: today(),
        obtainedBy: "",
        shareWithDesk: true,
        shareWithHospital: true,
        shareWithTeam: false,
        byFamily: false,
        familyName: "",
        familyRelation: "",
        withdrawnOn: "",
        preregistration: false,
        preregisteredWith: [],
      }
    : {
        obtainedOn: consent.obtainedOn,
        obtainedBy: consent.obtainedBy,
        shareWithDesk: consent.shareWithDesk,
        shareWithHospital: consent.shareWithHospital,
        shareWithTeam: consent.shareWithTeam,
        byFamily: consent.byFamily,
        familyName: consent.familyName,
        familyRelation: consent.familyRelation,
        withdrawnOn: consent.withdrawnOn ?? "",
        preregistration: consent.preregistration,
        preregisteredWith: consent.preregistration ? consent.preregisteredWith.map((h) => h.id) : [],
      };
}

/**
 * 事前登録 with every participating hospital, or with those ticked. Kept beside
 * the form's values: 「病院を選ぶ」 with none ticked yet is not 「すべて」.
 */
export type PreregistrationChoice = "all" | "chosen";

/** The choice a form starts with: chosen hospitals if the values name any. */
export function preregistrationChoice(input: ConsentInput): PreregistrationChoice {
  return input.preregisteredWith.length > 0 ? "chosen" : "all";
}

/** The hospitals ticked, with `id` ticked or not; the order ticked is kept. */
export function toggleHospital(chosen: readonly string[], id: string, on: boolean): string[] {
  const others = chosen.filter((h) => h !== id);
  return on ? [...others, id] : others;
}

/**
 * The hospitals the form lists to tick: those offered, then any a stored consent
 * chose that the region no longer offers (stopped since), so that the choice is
 * seen and can be taken back.
 */
export function hospitalOptions(offered: readonly RegionalHospital[], chosen: readonly RegionalHospital[]): RegionalHospital[] {
  const listed = new Set(offered.map((h) => h.id));
  return [...offered, ...chosen.filter((h) => !listed.has(h.id))];
}

/** The field error to show before saving, if any: 「病院を選ぶ」 with none ticked. */
export function preregistrationProblem(input: ConsentInput, choice: PreregistrationChoice): FieldError | null {
  if (input.preregistration && choice === "chosen" && input.preregisteredWith.length === 0) {
    return {
      field: "preregisteredWith",
      message: "事前登録する病院を1つ以上選ぶか、「すべての参加病院」を選んでください。",
    };
  }
  return null;
}

/** What is sent: hospitals only with 事前登録 and 「病院を選ぶ」 (none: all of them). */
export function consentToSave(input: ConsentInput, choice: PreregistrationChoice): ConsentInput {
  const chosen = input.preregistration && choice === "chosen";
  return { ...input, preregisteredWith: chosen ? input.preregisteredWith : [] };
}

/** Where 事前登録 reaches: 地域の参加病院すべて, or the hospitals chosen. */
export function preregisteredWithText(c: Consent): string {
  return c.preregisteredWith.length === 0 ? "地域の参加病院すべて" : c.preregisteredWith.map((h) => h.name).join("、");
}

/**
 * Whom the consent lets the clinic share with, e.g.
 * 在宅医療相談窓口・紹介先の病院・在宅チーム・事前登録（地域の参加病院すべて）.
 */
export function consentScopeText(c: Consent): string {
  const whom = [
    c.shareWithDesk ? "在宅医療相談窓口" : null,
    c.shareWithHospital ? "紹介先の病院" : null,
    c.shareWithTeam ? "在宅チーム" : null,
    c.preregistration ? `事前登録（${preregisteredWithText(c)}）` : null,
  ].filter((w) => w !== null);
  return whom.join("・");
}
