//! A 人生会議 (ACP) version as a FHIR R4 Consent of scope `adr` (advance
//! directive): one nested provision per treatment, permit for 希望する and
//! deny for 希望しない; a 「未定」 is a provision without a type, and the
//! narrative says 未定 in words, so a blank is never read as a wish.

use chrono::{Datelike, SecondsFormat};
use serde_json::{Value, json};
use tsunagu_domain::acp::{AcpRecord, Treatment, Wish};

use crate::codes::RESOURCE_IDENTIFIER_SYSTEM;
use crate::ids::{Ids, check_patient_number, clins_identifier};
use crate::resources::{self, institution_identifier};
use crate::xhtml;
use crate::{ConsentInput, FhirError};

const CONSENT_SCOPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/consentscope";
const CONSENT_CATEGORY_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/consentcategorycodes";
const LOINC: &str = "http://loinc.org";
const ROLE_CODE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

pub(crate) fn consent(input: &ConsentInput) -> Result<Value, FhirError> {
    check_patient_number(input.patient.number)?;
    let identifier = clins_identifier(
        input.institution_number,
        input.recorded_at.year(),
        input.record_number,
    )?;
    let ids = Ids::new(&format!("consent:{identifier}"));
    let record = input.record;
    let recorded = input
        .recorded_at
        .to_rfc3339_opts(SecondsFormat::Secs, false);
    let held_on = record.held_on.format("%Y-%m-%d").to_string();

    // The patient travels inside the Consent (contained), so the file
    // beside the emergency sheet names whose wishes these are.
    let patient = input.patient;
    let mut patient_resource = resources::patient(
        "patient",
        input.institution_number,
        patient.number,
        patient.name,
        patient.kana,
        patient.sex,
        patient.birth_date,
    );
    let mut contained = vec![];
    patient_resource["id"] = json!("patient");
    contained.push(patient_resource);

    let mut provision = json!({
        "period": { "start": held_on },
        "provision": Treatment::ALL.iter().map(|t| treatment_provision(*t, record.wish(*t))).collect::<Vec<_>>(),
    });
    if let Some(surrogate) = &record.surrogate {
        let mut person = json!({
            "resourceType": "RelatedPerson",
            "id": "surrogate",
            "patient": { "reference": "#patient" },
            "relationship": [{ "text": surrogate.relation.trim() }],
            "name": [{ "text": surrogate.name.trim() }],
        });
        if !surrogate.phone.trim().is_empty() {
            person["telecom"] = json!([{ "system": "phone", "value": surrogate.phone.trim() }]);
        }
        contained.push(person);
        provision["actor"] = json!([{
            "role": {
                "coding": [{
                    "system": ROLE_CODE_SYSTEM,
                    "code": "HPOWATT",
                    "display": "healthcare power of attorney",
                }],
                "text": "代理意思決定者",
            },
            "reference": { "reference": "#surrogate", "type": "RelatedPerson" },
        }]);
    }

    Ok(json!({
        "resourceType": "Consent",
        "id": ids.id("consent"),
        "meta": { "lastUpdated": recorded },
        "text": { "status": "generated", "div": narrative(record) },
        "contained": contained,
        "identifier": [{ "system": RESOURCE_IDENTIFIER_SYSTEM, "value": identifier }],
        "status": "active",
        "scope": {
            "coding": [{
                "system": CONSENT_SCOPE_SYSTEM,
                "code": "adr",
                "display": "Advanced Care Directive",
            }],
            "text": "人生会議（ACP）",
        },
        "category": [
            { "coding": [{ "system": LOINC, "code": "59284-0", "display": "Patient Consent" }] },
            { "coding": [{
                "system": CONSENT_CATEGORY_SYSTEM,
                "code": "acd",
                "display": "Advance Directive",
            }] },
        ],
        "patient": { "reference": "#patient", "type": "Patient" },
        "dateTime": held_on,
        "performer": [{ "reference": "#patient", "type": "Patient" }],
        "organization": [{
            "type": "Organization",
            "identifier": institution_identifier(input.institution_number),
            "display": input.clinic_name.trim(),
        }],
        // R4's ppc-1 asks for a policy or a rule; the rule is the
        // conversation itself, there is no Japanese ACP policy to cite.
        "policyRule": { "text": "人生会議（アドバンス・ケア・プランニング）で本人が表明した意向" },
        "provision": provision,
    }))
}

fn treatment_provision(treatment: Treatment, wish: Wish) -> Value {
    let mut provision = json!({ "code": [{ "text": treatment.label_ja() }] });
    match wish {
        Wish::Wants => provision["type"] = json!("permit"),
        Wish::Declines => provision["type"] = json!("deny"),
        Wish::Undecided => {}
    }
    provision
}

fn narrative(record: &AcpRecord) -> String {
    let mut items: Vec<(&str, String)> = vec![
        (
            "話し合いの日",
            record.held_on.format("%Y-%m-%d").to_string(),
        ),
        (
            "参加者",
            record
                .participants
                .iter()
                .map(|p| p.label_ja())
                .collect::<Vec<_>>()
                .join("、"),
        ),
    ];
    if !record.values.trim().is_empty() {
        items.push(("大切にしていること", record.values.clone()));
    }
    items.push((
        "療養したい場所",
        AcpRecord::place_label_ja(record.place_of_care, record.place_of_care_note.trim()),
    ));
    items.push((
        "最期を迎えたい場所",
        AcpRecord::place_label_ja(record.place_of_death, record.place_of_death_note.trim()),
    ));
    for treatment in Treatment::ALL {
        let wish = record.wish(treatment);
        let label = match treatment {
            Treatment::Cpr => wish.cpr_label_ja(),
            _ => wish.label_ja(),
        };
        items.push((treatment.label_ja(), label.to_owned()));
    }
    if !record.wishes_note.trim().is_empty() {
        items.push(("治療についての補足", record.wishes_note.clone()));
    }
    if let Some(s) = &record.surrogate {
        let mut who = format!("{}（{}）", s.name.trim(), s.relation.trim());
        if !s.phone.trim().is_empty() {
            who.push_str(&format!(" 電話 {}", s.phone.trim()));
        }
        items.push(("代理意思決定者", who));
    }
    if !record.notes.trim().is_empty() {
        items.push(("メモ", record.notes.clone()));
    }
    xhtml::div_of_paragraphs(&items)
}
