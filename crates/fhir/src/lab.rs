//! A letter's lab results (ADR 0040) in its document: the 検査結果 section
//! (620) of a 診療情報提供書 refers to one JP-CLINS 検体検査結果
//! Observation per row; a 退院時サマリー's 入院中検査結果 (623) says them
//! in its text only (see ADR 0037 for why).
//!
//! A result here is typed or imported by name: there is neither a JLAC
//! code nor a code of the clinic's own, so the item is coded as JP-CLINS's
//! 未標準化コード項目 with the name as `code.text`.

use serde_json::{Value, json};
use tsunagu_domain::lab_results::{Comparison, LabFlag, LabResult};

use crate::codes::{
    INSTITUTION_ID_SYSTEM, INSTITUTION_NUMBER_EXTENSION, INTERPRETATION_SYSTEM, LAB_UNCODED_CODE,
    LAB_UNCODED_DISPLAY, LAB_UNCODED_SYSTEM, OBSERVATION_CATEGORY_SYSTEM, PROFILE_LAB_RESULT,
    RESOURCE_IDENTIFIER_SYSTEM,
};
use crate::resources::reference;

/// What every lab Observation of one document shares.
pub(crate) struct LabContext<'a> {
    pub patient_url: &'a str,
    pub encounter_url: &'a str,
    pub institution_number: &'a str,
    /// The document's identifier: each result's is this plus its row.
    pub identifier: &'a str,
    pub issued: &'a str,
}

/// One result as a JP_Observation_LabResult_eCS. `row` counts from 1.
pub(crate) fn lab_observation(
    full_url: &str,
    context: &LabContext,
    row: usize,
    result: &LabResult,
) -> Value {
    let unit = result.unit.trim();
    let mut observation = json!({
        "resourceType": "Observation",
        "id": full_url.strip_prefix("urn:uuid:").unwrap_or(full_url),
        "meta": { "lastUpdated": context.issued, "profile": [PROFILE_LAB_RESULT] },
        "extension": [{
            "url": INSTITUTION_NUMBER_EXTENSION,
            "valueIdentifier": {
                "system": INSTITUTION_ID_SYSTEM,
                "value": context.institution_number,
            },
        }],
        "identifier": [{
            "system": RESOURCE_IDENTIFIER_SYSTEM,
            "value": format!("{}-lab-{row}", context.identifier),
        }],
        "status": "final",
        "category": [{ "coding": [{
            "system": OBSERVATION_CATEGORY_SYSTEM,
            "code": "laboratory",
        }] }],
        "code": {
            "coding": [{
                "system": LAB_UNCODED_SYSTEM,
                "code": LAB_UNCODED_CODE,
                "display": LAB_UNCODED_DISPLAY,
            }],
            "text": result.item.trim(),
        },
        "subject": reference(context.patient_url, "Patient"),
        "encounter": reference(context.encounter_url, "Encounter"),
        "effectiveDateTime": result.taken_on.format("%Y-%m-%d").to_string(),
        // The profile wants the specimen; the letter does not name it.
        "specimen": { "type": "Specimen", "display": "記載なし" },
    });
    match result.measured() {
        Some(measured) => {
            let mut quantity = json!({ "value": measured.number });
            if let Some(comparison) = measured.comparison {
                quantity["comparator"] = json!(comparator(comparison));
            }
            if !unit.is_empty() {
                quantity["unit"] = json!(unit);
            }
            observation["valueQuantity"] = quantity;
        }
        None => observation["valueString"] = json!(result.value.trim()),
    }
    if let Some(flag) = result.flag() {
        observation["interpretation"] = json!([{ "coding": [{
            "system": INTERPRETATION_SYSTEM,
            "code": flag.mark(),
            "display": match flag {
                LabFlag::High => "High",
                LabFlag::Low => "Low",
            },
        }] }]);
    }
    if let Some(range) = reference_range(result, unit) {
        observation["referenceRange"] = json!([range]);
    }
    observation
}

/// The section text: one line a result, as the letter's table reads.
pub(crate) fn lab_lines(results: &[LabResult]) -> String {
    results
        .iter()
        .map(|r| {
            let mut line = format!("{}　{}", r.item.trim(), r.value.trim());
            if !r.unit.trim().is_empty() {
                line.push_str(&format!(" {}", r.unit.trim()));
            }
            if let Some(flag) = r.flag() {
                line.push_str(&format!("　{}", flag.mark()));
            }
            if !r.reference_range.trim().is_empty() {
                line.push_str(&format!("（基準値 {}）", r.reference_range.trim()));
            }
            line.push_str(&format!("　{}", r.taken_on.format("%Y-%m-%d")));
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn comparator(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::Below => "<",
        Comparison::AtMost => "<=",
        Comparison::AtLeast => ">=",
        Comparison::Above => ">",
    }
}

/// Bounds when the range is a numeric `a-b`, and always the range as
/// typed (R4's obs-3 wants low, high or text).
fn reference_range(result: &LabResult, unit: &str) -> Option<Value> {
    let text = result.reference_range.trim();
    if text.is_empty() {
        return None;
    }
    let mut range = json!({ "text": text });
    if let Some((low, high)) = result.numeric_range() {
        let bound = |value: f64| {
            let mut quantity = json!({ "value": value });
            if !unit.is_empty() {
                quantity["unit"] = json!(unit);
            }
            quantity
        };
        range["low"] = bound(low);
        range["high"] = bound(high);
    }
    Some(range)
}
