/** The referral statuses of DESIGN.md §2, in the status machine's order, with their labels. */
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
