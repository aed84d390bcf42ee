import type { Consent, ConsentInput } from "../api";
import { today } from "./dates";

/** The consent form's values: a stored consent's, or for a new one today and both recipients. */
export function consentInput(consent: Consent | null): ConsentInput {
  return consent === null
    ? { obtainedOn: today(), obtainedBy: "", shareWithDesk: true, shareWithHospital: true, withdrawnOn: "" }
    : {
        obtainedOn: consent.obtainedOn,
        obtainedBy: consent.obtainedBy,
        shareWithDesk: consent.shareWithDesk,
        shareWithHospital: consent.shareWithHospital,
        withdrawnOn: consent.withdrawnOn ?? "",
      };
}

/** Whom the consent lets the clinic share with, e.g. 在宅医療相談窓口・紹介先の病院. */
export function consentScopeText(c: Consent): string {
  const whom = [c.shareWithDesk ? "在宅医療相談窓口" : null, c.shareWithHospital ? "紹介先の病院" : null].filter(
    (w) => w !== null,
  );
  return whom.join("・");
}
