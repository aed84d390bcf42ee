// Generated from the domain's codes and labels (src-tauri/vocabulary.rs).
// Do not edit by hand: run `make bindings`.

/** The referral statuses, in the status machine's order, with their labels. */
export const REFERRAL_STATUSES: readonly { code: string; label: string }[] = [
  { code: "sent", label: "紹介済" },
  { code: "received", label: "受付済" },
  { code: "visited", label: "受診済" },
  { code: "admitted", label: "入院中" },
  { code: "discharge_planned", label: "退院調整中" },
  { code: "transferred", label: "転院" },
  { code: "discharged", label: "退院" },
  { code: "returned", label: "逆紹介・帰院" },
  { code: "deceased", label: "死亡" },
  { code: "closed", label: "終了" },
  { code: "cancelled", label: "取消" },
];

/** Where a patient may be discharged to; `name` labels the field a kind needs. */
export const DISCHARGE_DESTINATIONS: readonly { code: string; label: string; name?: string }[] = [
  { code: "this_clinic", label: "自院（当院へ戻る）" },
  { code: "other_home_care_doctor", label: "在宅・他の在宅医", name: "在宅医（医療機関名・医師名）" },
  { code: "facility", label: "施設", name: "施設名" },
  { code: "other", label: "その他", name: "退院先" },
];

/** A clinic account's job (職種), in the order the forms offer them. */
export const STAFF_ROLES: readonly { code: string; label: string }[] = [
  { code: "doctor", label: "医師" },
  { code: "nurse", label: "看護師" },
  { code: "clerk", label: "事務" },
];
