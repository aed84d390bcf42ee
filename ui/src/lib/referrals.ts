// The referral vocabulary comes from the domain, generated into the API module.
export { DISCHARGE_DESTINATIONS, REFERRAL_STATUSES } from "../api/vocabulary";
