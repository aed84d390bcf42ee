//! The order form as the store keeps it: the domain's `NursingOrderDraft`
//! as JSON, field for field (camelCase, the app form's keys). The domain
//! knows no serde; this mirror is the one place its shape meets JSON, so
//! a field added to the draft fails to compile here until it is kept.

use serde::{Deserialize, Serialize};
use tsunagu_domain::nursing_order::{DiagnosisDraft, NursingOrderDraft};

use crate::error::{StoreError, StoreResult};

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct DiagnosisJson {
    name: String,
    code: String,
}

/// Every field of [`NursingOrderDraft`]; a key missing from an older row
/// reads as empty (`default`).
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct DraftJson {
    kind: String,
    patient_id: String,
    station: String,
    issued_on: String,
    starts_on: String,
    ends_on: String,
    infusion_starts_on: String,
    infusion_ends_on: String,
    diagnoses: Vec<DiagnosisJson>,
    condition: String,
    medication: String,
    bedridden_level: String,
    dementia_level: String,
    care_level: String,
    ulcer_depth: String,
    devices: Vec<String>,
    device_other: String,
    device_details: String,
    care_notes: String,
    rehab_minutes_per_day: String,
    rehab_times_per_week: String,
    wound_care: String,
    device_care: String,
    other_instructions: String,
    infusion_instructions: String,
    emergency_contact: String,
    when_absent: String,
    special_notes: String,
    other_station: String,
    suction_provider: String,
    frequent_visit_reason: String,
}

pub(crate) fn to_json(draft: &NursingOrderDraft) -> StoreResult<String> {
    // Destructured so that a new field of the draft is a compile error here.
    let NursingOrderDraft {
        kind,
        patient_id,
        station,
        issued_on,
        starts_on,
        ends_on,
        infusion_starts_on,
        infusion_ends_on,
        diagnoses,
        condition,
        medication,
        bedridden_level,
        dementia_level,
        care_level,
        ulcer_depth,
        devices,
        device_other,
        device_details,
        care_notes,
        rehab_minutes_per_day,
        rehab_times_per_week,
        wound_care,
        device_care,
        other_instructions,
        infusion_instructions,
        emergency_contact,
        when_absent,
        special_notes,
        other_station,
        suction_provider,
        frequent_visit_reason,
    } = draft.clone();
    let json = DraftJson {
        kind,
        patient_id,
        station,
        issued_on,
        starts_on,
        ends_on,
        infusion_starts_on,
        infusion_ends_on,
        diagnoses: diagnoses
            .into_iter()
            .map(|d| DiagnosisJson {
                name: d.name,
                code: d.code,
            })
            .collect(),
        condition,
        medication,
        bedridden_level,
        dementia_level,
        care_level,
        ulcer_depth,
        devices,
        device_other,
        device_details,
        care_notes,
        rehab_minutes_per_day,
        rehab_times_per_week,
        wound_care,
        device_care,
        other_instructions,
        infusion_instructions,
        emergency_contact,
        when_absent,
        special_notes,
        other_station,
        suction_provider,
        frequent_visit_reason,
    };
    serde_json::to_string(&json).map_err(|_| StoreError::Corrupt("nursing order draft"))
}

pub(crate) fn from_json(text: &str) -> StoreResult<NursingOrderDraft> {
    let j: DraftJson =
        serde_json::from_str(text).map_err(|_| StoreError::Corrupt("nursing order draft"))?;
    Ok(NursingOrderDraft {
        kind: j.kind,
        patient_id: j.patient_id,
        station: j.station,
        issued_on: j.issued_on,
        starts_on: j.starts_on,
        ends_on: j.ends_on,
        infusion_starts_on: j.infusion_starts_on,
        infusion_ends_on: j.infusion_ends_on,
        diagnoses: j
            .diagnoses
            .into_iter()
            .map(|d| DiagnosisDraft {
                name: d.name,
                code: d.code,
            })
            .collect(),
        condition: j.condition,
        medication: j.medication,
        bedridden_level: j.bedridden_level,
        dementia_level: j.dementia_level,
        care_level: j.care_level,
        ulcer_depth: j.ulcer_depth,
        devices: j.devices,
        device_other: j.device_other,
        device_details: j.device_details,
        care_notes: j.care_notes,
        rehab_minutes_per_day: j.rehab_minutes_per_day,
        rehab_times_per_week: j.rehab_times_per_week,
        wound_care: j.wound_care,
        device_care: j.device_care,
        other_instructions: j.other_instructions,
        infusion_instructions: j.infusion_instructions,
        emergency_contact: j.emergency_contact,
        when_absent: j.when_absent,
        special_notes: j.special_notes,
        other_station: j.other_station,
        suction_provider: j.suction_provider,
        frequent_visit_reason: j.frequent_visit_reason,
    })
}
