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

/** Kinds of organisation, as the directory lists them. */
export const ORGANISATION_KINDS: readonly { code: string; label: string }[] = [
  { code: "hospital", label: "病院" },
  { code: "clinic", label: "診療所" },
  { code: "visiting_nurse_station", label: "訪問看護ステーション" },
  { code: "care_management_office", label: "居宅介護支援事業所" },
  { code: "pharmacy", label: "保険薬局" },
  { code: "dental_clinic", label: "歯科診療所" },
  { code: "home_rehabilitation", label: "訪問リハビリ事業所" },
  { code: "care_service", label: "介護事業所" },
  { code: "community_support_center", label: "地域包括支援センター" },
];

/** The roles an invitation may offer, and the kinds of organisation that may hold each. */
export const TEAM_ROLES: readonly { code: string; label: string; kinds: readonly string[] }[] = [
  { code: "home_care_physician", label: "在宅医", kinds: ["hospital", "clinic"] },
  { code: "visiting_nurse", label: "訪問看護", kinds: ["hospital", "clinic", "visiting_nurse_station"] },
  { code: "care_manager", label: "ケアマネジャー", kinds: ["care_management_office", "community_support_center"] },
  { code: "pharmacist", label: "薬剤師", kinds: ["pharmacy"] },
  { code: "dental", label: "歯科", kinds: ["hospital", "dental_clinic"] },
  { code: "rehabilitation", label: "リハビリ", kinds: ["hospital", "clinic", "visiting_nurse_station", "home_rehabilitation"] },
  { code: "care", label: "介護", kinds: ["care_service"] },
  { code: "hospital", label: "病院", kinds: ["hospital"] },
];

/** The kinds of post a person writes (referral events come by themselves). */
export const ENTRY_KINDS: readonly { code: string; label: string }[] = [
  { code: "note", label: "連絡" },
  { code: "visit_report", label: "訪問報告" },
  { code: "request", label: "相談・依頼" },
  { code: "urgent", label: "緊急" },
];

/** What a first contact is for (夜間・休日…). */
export const FIRST_CONTACT_TOPICS: readonly { code: string; label: string }[] = [
  { code: "night_and_holiday", label: "夜間・休日" },
  { code: "medical", label: "病状・医療" },
  { code: "medication", label: "服薬" },
  { code: "care_and_living", label: "介護サービス・生活" },
  { code: "oral", label: "口腔" },
];

/** The answers to a 退院時カンファレンス's invitation, in the order the buttons show them. */
export const ATTENDANCE_ANSWERS: readonly { code: string; label: string }[] = [
  { code: "attend", label: "出席" },
  { code: "online", label: "オンライン" },
  { code: "absent", label: "欠席" },
];

/** What an organisation of each kind may say it can do (対応できること), in the profile form's order. */
export const DIRECTORY_OFFERS: readonly { kind: string; offers: readonly { code: string; label: string }[] }[] = [
  { kind: "hospital", offers: [{ code: "home_visits", label: "訪問診療" }, { code: "house_calls", label: "往診" }, { code: "around_24h", label: "24時間対応" }, { code: "support_clinic", label: "在宅療養支援診療所・病院" }, { code: "enhanced_support", label: "機能強化型" }, { code: "weekends", label: "土日祝の対応" }, { code: "end_of_life", label: "看取り" }, { code: "palliative", label: "緩和ケア・医療用麻薬" }, { code: "home_oxygen", label: "在宅酸素" }, { code: "ventilator", label: "人工呼吸器" }, { code: "tpn", label: "中心静脈栄養" }, { code: "tube_feeding", label: "経管栄養・胃ろう" }, { code: "pressure_ulcers", label: "褥瘡" }, { code: "paediatric", label: "小児" }, { code: "dementia", label: "認知症" }, { code: "backup_beds", label: "後方支援病床" }, { code: "respite_admission", label: "レスパイト入院" }] },
  { kind: "clinic", offers: [{ code: "home_visits", label: "訪問診療" }, { code: "house_calls", label: "往診" }, { code: "around_24h", label: "24時間対応" }, { code: "support_clinic", label: "在宅療養支援診療所・病院" }, { code: "enhanced_support", label: "機能強化型" }, { code: "weekends", label: "土日祝の対応" }, { code: "end_of_life", label: "看取り" }, { code: "palliative", label: "緩和ケア・医療用麻薬" }, { code: "home_oxygen", label: "在宅酸素" }, { code: "ventilator", label: "人工呼吸器" }, { code: "tpn", label: "中心静脈栄養" }, { code: "tube_feeding", label: "経管栄養・胃ろう" }, { code: "pressure_ulcers", label: "褥瘡" }, { code: "paediatric", label: "小児" }, { code: "dementia", label: "認知症" }] },
  { kind: "visiting_nurse_station", offers: [{ code: "around_24h", label: "24時間対応" }, { code: "special_management", label: "特別管理" }, { code: "therapists", label: "リハビリ職" }, { code: "psychiatric", label: "精神科訪問看護" }, { code: "paediatric", label: "小児" }, { code: "end_of_life", label: "看取り" }] },
  { kind: "care_management_office", offers: [] },
  { kind: "pharmacy", offers: [{ code: "pharmacy_visits", label: "在宅訪問（薬剤）" }, { code: "sterile_compounding", label: "無菌調剤" }, { code: "narcotics", label: "麻薬の調剤" }, { code: "around_24h", label: "24時間対応" }] },
  { kind: "dental_clinic", offers: [{ code: "home_dental", label: "訪問歯科" }, { code: "oral_care", label: "口腔ケア" }, { code: "swallowing_assessment", label: "嚥下評価" }] },
  { kind: "home_rehabilitation", offers: [] },
  { kind: "care_service", offers: [] },
  { kind: "community_support_center", offers: [] },
];

/** The ward types a hospital counts its beds by (空床). */
export const WARD_TYPES: readonly { code: string; label: string }[] = [
  { code: "general", label: "一般" },
  { code: "community_care", label: "地域包括ケア" },
  { code: "rehabilitation", label: "回復期リハビリ" },
  { code: "palliative", label: "緩和ケア" },
  { code: "long_term", label: "療養" },
  { code: "respite", label: "レスパイト" },
];

/** Who took part in a 人生会議. */
export const ACP_PARTICIPANT_ROLES: readonly { code: string; label: string }[] = [
  { code: "patient", label: "本人" },
  { code: "family", label: "家族" },
  { code: "doctor", label: "医師" },
  { code: "nurse", label: "看護師" },
  { code: "care_manager", label: "ケアマネジャー" },
  { code: "pharmacist", label: "薬剤師" },
  { code: "therapist", label: "リハビリ職" },
  { code: "care_worker", label: "介護職" },
  { code: "other", label: "その他" },
];

/** Where the patient wishes to be cared for, or to die. */
export const ACP_PLACES: readonly { code: string; label: string }[] = [
  { code: "home", label: "自宅" },
  { code: "facility", label: "施設" },
  { code: "hospital", label: "病院" },
  { code: "palliative_care_unit", label: "緩和ケア病棟" },
  { code: "undecided", label: "未定" },
];

/** The treatments the patient is asked about, in the form's order. */
export const ACP_TREATMENTS: readonly { code: string; label: string }[] = [
  { code: "cpr", label: "心肺蘇生（DNARの有無）" },
  { code: "ventilation", label: "人工呼吸器" },
  { code: "tube_feeding", label: "経管栄養（胃ろう等）" },
  { code: "transfusion", label: "輸血" },
  { code: "drip", label: "点滴" },
  { code: "admission", label: "入院" },
];

/** The answer about each treatment (「未定」 included). */
export const ACP_WISHES: readonly { code: string; label: string }[] = [
  { code: "wants", label: "希望する" },
  { code: "declines", label: "希望しない" },
  { code: "undecided", label: "未定" },
];

/** The order's kinds: the form's title and number. */
export const NURSING_ORDER_KINDS: readonly { code: string; label: string; form: string }[] = [
  { code: "regular", label: "訪問看護指示書", form: "別紙様式16" },
  { code: "special", label: "特別訪問看護指示書", form: "別紙様式18" },
];

/** 寝たきり度 (障害高齢者の日常生活自立度). */
export const BEDRIDDEN_LEVELS: readonly { code: string; label: string }[] = [
  { code: "j1", label: "J1" },
  { code: "j2", label: "J2" },
  { code: "a1", label: "A1" },
  { code: "a2", label: "A2" },
  { code: "b1", label: "B1" },
  { code: "b2", label: "B2" },
  { code: "c1", label: "C1" },
  { code: "c2", label: "C2" },
];

/** 認知症の状況 (認知症高齢者の日常生活自立度). */
export const DEMENTIA_LEVELS: readonly { code: string; label: string }[] = [
  { code: "1", label: "Ⅰ" },
  { code: "2a", label: "Ⅱa" },
  { code: "2b", label: "Ⅱb" },
  { code: "3a", label: "Ⅲa" },
  { code: "3b", label: "Ⅲb" },
  { code: "4", label: "Ⅳ" },
  { code: "m", label: "Ｍ" },
];

/** 要介護認定の状況. */
export const CARE_LEVELS: readonly { code: string; label: string }[] = [
  { code: "support_1", label: "要支援1" },
  { code: "support_2", label: "要支援2" },
  { code: "care_1", label: "要介護1" },
  { code: "care_2", label: "要介護2" },
  { code: "care_3", label: "要介護3" },
  { code: "care_4", label: "要介護4" },
  { code: "care_5", label: "要介護5" },
];

/** 褥瘡の深さ, with the classification each grade belongs to (DESIGN-R分類 / NPUAP分類). */
export const ULCER_DEPTHS: readonly { code: string; label: string; classification: string }[] = [
  { code: "design_d3", label: "D3", classification: "DESIGN-R分類" },
  { code: "design_d4", label: "D4", classification: "DESIGN-R分類" },
  { code: "design_d5", label: "D5", classification: "DESIGN-R分類" },
  { code: "npuap_3", label: "Ⅲ度", classification: "NPUAP分類" },
  { code: "npuap_4", label: "Ⅳ度", classification: "NPUAP分類" },
];

/** 装着・使用医療機器等, numbered as on the form (「13.その他」 takes a name). */
export const MEDICAL_DEVICES: readonly { code: string; label: string }[] = [
  { code: "peritoneal_dialysis", label: "1.自動腹膜灌流装置" },
  { code: "dialysate_supply", label: "2.透析液供給装置" },
  { code: "oxygen", label: "3.酸素療法" },
  { code: "suction", label: "4.吸引器" },
  { code: "central_venous_nutrition", label: "5.中心静脈栄養" },
  { code: "infusion_pump", label: "6.輸液ポンプ" },
  { code: "tube_feeding", label: "7.経管栄養" },
  { code: "indwelling_catheter", label: "8.留置カテーテル" },
  { code: "ventilator", label: "9.人工呼吸器" },
  { code: "tracheostomy_tube", label: "10.気管カニューレ" },
  { code: "colostomy", label: "11.人工肛門" },
  { code: "urostomy", label: "12.人工膀胱" },
  { code: "other", label: "13.その他" },
];
