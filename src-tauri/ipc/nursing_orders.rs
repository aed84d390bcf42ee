//! 訪問看護指示書 (別紙様式16) and 特別訪問看護指示書 (別紙様式18): the
//! form as typed, the drafts and issued orders as the patient page shows
//! them, and the stations an order may be addressed to. Codes are the
//! domain's (kind, closed sets, state); labels come made from the app.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// A 主たる傷病名 as typed, with its optional 7-digit 傷病名コード.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct NursingOrderDiagnosis {
    pub name: String,
    pub code: String,
}

/// The order form as typed (dates YYYY-MM-DD or 和暦; closed sets as the
/// codes of `vocabulary.ts`, or empty). `kind` and `patientId` are the
/// draft's own: a save does not change them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct NursingOrderForm {
    /// `regular` (別紙様式16) or `special` (別紙様式18).
    pub kind: String,
    pub patient_id: String,
    /// 宛先: the station's name (…殿).
    pub station: String,
    /// 指示日
    pub issued_on: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Both empty when no 点滴注射 is ordered.
    pub infusion_starts_on: String,
    pub infusion_ends_on: String,
    /// Up to three; empty rows are skipped.
    pub diagnoses: Vec<NursingOrderDiagnosis>,
    /// 病状・治療状態 (様式18: 病状・主訴)
    pub condition: String,
    /// 投与中の薬剤の用量・用法
    pub medication: String,
    pub bedridden_level: String,
    pub dementia_level: String,
    pub care_level: String,
    pub ulcer_depth: String,
    /// 装着・使用医療機器等 (codes).
    pub devices: Vec<String>,
    /// The name after 「13.その他」.
    pub device_other: String,
    pub device_details: String,
    /// Ⅰ 療養生活指導上の留意事項 (様式18: 留意事項及び指示事項)
    pub care_notes: String,
    pub rehab_minutes_per_day: String,
    pub rehab_times_per_week: String,
    pub wound_care: String,
    pub device_care: String,
    pub other_instructions: String,
    /// 在宅患者訪問点滴注射に関する指示
    pub infusion_instructions: String,
    pub emergency_contact: String,
    pub when_absent: String,
    pub special_notes: String,
    /// 他の訪問看護ステーションへの指示 (empty for 無).
    pub other_station: String,
    /// たんの吸引等実施のための訪問介護事業所への指示 (empty for 無).
    pub suction_provider: String,
    /// 様式18: 一時的に訪問看護が頻回に必要な理由
    pub frequent_visit_reason: String,
}

/// What 「下書き保存」 sends: the form and the addressee.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct NursingOrderInput {
    /// A station of `nursingOrderStations` (its member id), or null when the
    /// station's name is typed in `form.station` (only when `mayTypeName`).
    pub station_member_id: Option<String>,
    pub form: NursingOrderForm,
}

/// An order being written.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NursingOrderDraft {
    pub id: String,
    pub patient_id: String,
    pub kind: String,
    /// 「訪問看護指示書」 or 「特別訪問看護指示書」
    pub kind_label: String,
    pub form: NursingOrderForm,
    pub station_member_id: Option<String>,
    /// The issued order this draft renews.
    pub renews: Option<String>,
    /// RFC 3339
    pub updated_at: String,
}

/// An issued order, with where it stands today.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NursingOrder {
    pub id: String,
    pub patient_id: String,
    pub kind: String,
    pub kind_label: String,
    /// 「別紙様式16」 or 「別紙様式18」
    pub form_number: String,
    pub station: String,
    pub station_member_id: Option<String>,
    /// YYYY-MM-DD
    pub issued_on: String,
    /// 和暦
    pub issued_on_label: String,
    /// YYYY-MM-DD
    pub starts_on: String,
    /// YYYY-MM-DD
    pub ends_on: String,
    /// 「令和8年12月1日～令和9年5月31日」
    pub period_label: String,
    /// `current`, `due` (its last day is near) or `expired`.
    pub state: String,
    pub state_label: String,
    pub renews: Option<String>,
    pub renewed_by: Option<String>,
    /// 「更新」 is offered.
    pub may_renew: bool,
    /// 「更新しない」 is offered (a regular order neither renewed nor ended).
    pub may_end: bool,
    /// 「更新しない：理由（誰、日）」 once decided.
    pub ending: Option<String>,
    pub sha256: String,
    pub pdf_size: u32,
    /// RFC 3339
    pub issued_at: String,
    pub issued_by: String,
}

/// The patient's drafts (most recently edited first) and issued orders
/// (the latest first).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientNursingOrders {
    pub drafts: Vec<NursingOrderDraft>,
    pub orders: Vec<NursingOrder>,
}

/// What 「発行」 did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IssuedNursingOrder {
    pub order: NursingOrder,
    /// Posted on the patient's team timeline with its PDF.
    pub shared_on_timeline: bool,
}

/// A visiting nurse station on the patient's team.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NursingOrderStation {
    pub member_id: String,
    pub organisation_id: Option<String>,
    pub name: String,
    pub person: String,
    pub phone: String,
    pub fax: String,
}

/// Where an order for the patient may go.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NursingOrderStations {
    pub stations: Vec<NursingOrderStation>,
    /// A station may be typed by name (no station is on the team yet).
    pub may_type_name: bool,
}

impl From<NursingOrderForm> for app::NursingOrderDraft {
    fn from(f: NursingOrderForm) -> Self {
        app::NursingOrderDraft {
            kind: f.kind,
            patient_id: f.patient_id,
            station: f.station,
            issued_on: f.issued_on,
            starts_on: f.starts_on,
            ends_on: f.ends_on,
            infusion_starts_on: f.infusion_starts_on,
            infusion_ends_on: f.infusion_ends_on,
            diagnoses: f
                .diagnoses
                .into_iter()
                .map(|d| app::DiagnosisDraft {
                    name: d.name,
                    code: d.code,
                })
                .collect(),
            condition: f.condition,
            medication: f.medication,
            bedridden_level: f.bedridden_level,
            dementia_level: f.dementia_level,
            care_level: f.care_level,
            ulcer_depth: f.ulcer_depth,
            devices: f.devices,
            device_other: f.device_other,
            device_details: f.device_details,
            care_notes: f.care_notes,
            rehab_minutes_per_day: f.rehab_minutes_per_day,
            rehab_times_per_week: f.rehab_times_per_week,
            wound_care: f.wound_care,
            device_care: f.device_care,
            other_instructions: f.other_instructions,
            infusion_instructions: f.infusion_instructions,
            emergency_contact: f.emergency_contact,
            when_absent: f.when_absent,
            special_notes: f.special_notes,
            other_station: f.other_station,
            suction_provider: f.suction_provider,
            frequent_visit_reason: f.frequent_visit_reason,
        }
    }
}

impl From<app::NursingOrderDraft> for NursingOrderForm {
    fn from(f: app::NursingOrderDraft) -> Self {
        NursingOrderForm {
            kind: f.kind,
            patient_id: f.patient_id,
            station: f.station,
            issued_on: f.issued_on,
            starts_on: f.starts_on,
            ends_on: f.ends_on,
            infusion_starts_on: f.infusion_starts_on,
            infusion_ends_on: f.infusion_ends_on,
            diagnoses: f
                .diagnoses
                .into_iter()
                .map(|d| NursingOrderDiagnosis {
                    name: d.name,
                    code: d.code,
                })
                .collect(),
            condition: f.condition,
            medication: f.medication,
            bedridden_level: f.bedridden_level,
            dementia_level: f.dementia_level,
            care_level: f.care_level,
            ulcer_depth: f.ulcer_depth,
            devices: f.devices,
            device_other: f.device_other,
            device_details: f.device_details,
            care_notes: f.care_notes,
            rehab_minutes_per_day: f.rehab_minutes_per_day,
            rehab_times_per_week: f.rehab_times_per_week,
            wound_care: f.wound_care,
            device_care: f.device_care,
            other_instructions: f.other_instructions,
            infusion_instructions: f.infusion_instructions,
            emergency_contact: f.emergency_contact,
            when_absent: f.when_absent,
            special_notes: f.special_notes,
            other_station: f.other_station,
            suction_provider: f.suction_provider,
            frequent_visit_reason: f.frequent_visit_reason,
        }
    }
}

impl From<NursingOrderInput> for app::NursingOrderInput {
    fn from(i: NursingOrderInput) -> Self {
        app::NursingOrderInput {
            station_member_id: i.station_member_id,
            form: i.form.into(),
        }
    }
}

impl From<app::NursingOrderDraftView> for NursingOrderDraft {
    fn from(d: app::NursingOrderDraftView) -> Self {
        NursingOrderDraft {
            id: d.id.to_string(),
            patient_id: d.patient_id.to_string(),
            kind: d.kind.code().to_string(),
            kind_label: d.kind_label,
            form: d.form.into(),
            station_member_id: d.station_member_id.map(|id| id.to_string()),
            renews: d.renews.map(|id| id.to_string()),
            updated_at: d.updated_at.to_rfc3339(),
        }
    }
}

impl From<app::NursingOrderView> for NursingOrder {
    fn from(o: app::NursingOrderView) -> Self {
        NursingOrder {
            id: o.id.to_string(),
            patient_id: o.patient_id.to_string(),
            kind: o.kind.code().to_string(),
            kind_label: o.kind_label,
            form_number: o.form_number,
            station: o.station,
            station_member_id: o.station_member_id.map(|id| id.to_string()),
            issued_on: o.issued_on.to_string(),
            issued_on_label: o.issued_on_label,
            starts_on: o.starts_on.to_string(),
            ends_on: o.ends_on.to_string(),
            period_label: o.period_label,
            state: o.state.code().to_string(),
            state_label: o.state_label,
            renews: o.renews.map(|id| id.to_string()),
            renewed_by: o.renewed_by.map(|id| id.to_string()),
            may_renew: o.may_renew,
            may_end: o.may_end,
            ending: o.ending,
            sha256: o.sha256,
            pdf_size: u32::try_from(o.pdf_size).unwrap_or(u32::MAX),
            issued_at: o.issued_at.to_rfc3339(),
            issued_by: o.issued_by,
        }
    }
}

impl From<app::PatientNursingOrders> for PatientNursingOrders {
    fn from(p: app::PatientNursingOrders) -> Self {
        PatientNursingOrders {
            drafts: p.drafts.into_iter().map(Into::into).collect(),
            orders: p.orders.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<app::IssuedNursingOrder> for IssuedNursingOrder {
    fn from(i: app::IssuedNursingOrder) -> Self {
        IssuedNursingOrder {
            order: i.order.into(),
            shared_on_timeline: i.shared_on_timeline,
        }
    }
}

impl From<app::NursingOrderStations> for NursingOrderStations {
    fn from(s: app::NursingOrderStations) -> Self {
        NursingOrderStations {
            stations: s
                .stations
                .into_iter()
                .map(|m| NursingOrderStation {
                    member_id: m.member_id.to_string(),
                    organisation_id: m.organisation_id.map(|id| id.to_string()),
                    name: m.name,
                    person: m.person,
                    phone: m.phone,
                    fax: m.fax,
                })
                .collect(),
            may_type_name: s.may_type_name,
        }
    }
}
