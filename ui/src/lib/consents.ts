import type { Consent, ConsentInput } from "../api";
import { today } from "./dates";

/**
 * The consent form's values: a stored consent's, or for a new one today, both
 * referral recipients, given by the patient. The home-care team is not ticked
 * for a new consent: sharing with every member of the team is a separate
 * thing the patient (or family) must be asked about.
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
        preregistration: false,
        preregisteredWith: [],
      };
}

/** Whom the consent lets the clinic share with, e.g. 在宅医療相談窓口・紹介先の病院・在宅チーム. */
export function consentScopeText(c: Consent): string {
  const whom = [
    c.shareWithDesk ? "在宅医療相談窓口" : null,
    c.shareWithHospital ? "紹介先の病院" : null,
    c.shareWithTeam ? "在宅チーム" : null,
  ].filter((w) => w !== null);
  return whom.join("・");
}
