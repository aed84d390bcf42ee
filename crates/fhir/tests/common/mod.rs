//! Fixtures and the profile check shared by the tests: the letters crate's
//! own fixtures rendered to PDF, an ACP record, and `profile_problems`,
//! which holds a Bundle to what the JP-CLINS profiles require (sections
//! and codes) so that a test can show it failing on a broken Bundle.

#![allow(dead_code, reason = "each test binary uses part of the helpers")]

use base64::Engine as _;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use tsunagu_domain::acp::{
    AcpRecord, Participant, ParticipantRole, Place, Surrogate, Treatment, Wish,
};
use tsunagu_domain::lab_results::{LabResult, LabRowInput, check_lab_row};
use tsunagu_fhir::{
    ConsentInput, DocumentInput, DocumentKind, PatientIdentity, SECTION_SYSTEM, Section,
};
use tsunagu_letters::{Letter, render_pdf};

pub const INSTITUTION: &str = "1311234567";

pub fn referral_letter() -> Letter {
    Letter::from_json(include_str!(
        "../../../letters/fixtures/standard-referral.json"
    ))
    .expect("referral fixture")
}

pub fn discharge_letter() -> Letter {
    Letter::from_json(include_str!("../../../letters/fixtures/discharge.json"))
        .expect("discharge fixture")
}

/// Results as a clinic attaches them: a high value, one below what the
/// lab measures, a range that is not numeric, one without unit or range.
pub fn lab_results() -> Vec<LabResult> {
    [
        ("HbA1c", "7.2", "%", "4.6-6.2"),
        ("CRP", "<0.01", "mg/dL", "0-0.3"),
        ("BNP", "245.3", "pg/mL", "18.4以下"),
        ("尿pH", "6.0", "", ""),
    ]
    .into_iter()
    .map(|(item, value, unit, reference_range)| {
        check_lab_row(LabRowInput {
            item,
            value,
            unit,
            reference_range,
            taken_on: "2026-05-08",
        })
        .expect("a valid row")
    })
    .collect()
}

/// The letter with [`lab_results`] attached.
pub fn with_lab_results(letter: Letter) -> Letter {
    match letter {
        Letter::Referral(mut l) => {
            l.lab_results = lab_results();
            Letter::Referral(l)
        }
        Letter::Discharge(mut l) => {
            l.lab_results = lab_results();
            Letter::Discharge(l)
        }
    }
}

pub fn issued_at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-05-12T10:30:00+09:00").expect("time")
}

pub fn pdf_of(letter: &Letter) -> Vec<u8> {
    render_pdf(letter).expect("the fixture renders")
}

pub fn input<'a>(letter: &'a Letter, pdf: &'a [u8]) -> DocumentInput<'a> {
    DocumentInput {
        letter,
        pdf,
        institution_number: INSTITUTION,
        patient_number: "000123",
        document_number: "000042",
        issued_at: issued_at(),
    }
}

pub fn acp_record() -> AcpRecord {
    AcpRecord {
        held_on: NaiveDate::from_ymd_opt(2026, 4, 20).expect("date"),
        participants: vec![
            Participant {
                role: ParticipantRole::Patient,
                name: String::new(),
                relation: String::new(),
            },
            Participant {
                role: ParticipantRole::Family,
                name: "山田　花子".into(),
                relation: "長女".into(),
            },
            Participant {
                role: ParticipantRole::Doctor,
                name: "佐藤".into(),
                relation: String::new(),
            },
        ],
        values: "孫の顔を見ながら家で過ごしたい".into(),
        place_of_care: Place::Home,
        place_of_care_note: String::new(),
        place_of_death: Place::Home,
        place_of_death_note: "できれば最期まで".into(),
        wishes: vec![
            (Treatment::Cpr, Wish::Declines),
            (Treatment::Ventilation, Wish::Declines),
            (Treatment::TubeFeeding, Wish::Undecided),
            (Treatment::Transfusion, Wish::Wants),
            (Treatment::Drip, Wish::Wants),
            (Treatment::Admission, Wish::Undecided),
        ],
        wishes_note: "苦痛をとる治療は希望する".into(),
        surrogate: Some(Surrogate {
            name: "山田　花子".into(),
            relation: "長女".into(),
            phone: "090-1234-5678".into(),
        }),
        notes: String::new(),
    }
}

pub fn consent_input(record: &AcpRecord) -> ConsentInput<'_> {
    ConsentInput {
        record,
        patient: PatientIdentity {
            number: "000123",
            name: "山田　太郎",
            kana: "やまだ　たろう",
            sex: "male",
            birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).expect("date"),
        },
        institution_number: INSTITUTION,
        clinic_name: "さくら内科クリニック",
        record_number: "7",
        recorded_at: issued_at(),
    }
}

pub fn parse(json: &str) -> Value {
    serde_json::from_str(json).expect("the output is JSON")
}

/// The resource a `urn:uuid:` reference points at, in the Bundle.
pub fn resolve<'a>(bundle: &'a Value, reference: &str) -> Option<&'a Value> {
    bundle["entry"]
        .as_array()?
        .iter()
        .find(|e| e["fullUrl"] == reference)
        .map(|e| &e["resource"])
}

/// The first resource of `kind` in the Bundle, to break it in a test.
pub fn first_resource_mut<'a>(bundle: &'a mut Value, kind: &str) -> &'a mut Value {
    let entry = bundle["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .find(|e| e["resource"]["resourceType"] == kind)
        .expect("a resource of the kind");
    &mut entry["resource"]
}

/// The section with this code: top level, or inside 構造情報 (300).
pub fn find_section(composition: &Value, section: Section) -> Option<&Value> {
    let top = composition["section"].as_array()?;
    let has_code = |s: &&Value| {
        s["code"]["coding"].as_array().is_some_and(|c| {
            c.iter()
                .any(|c| c["system"] == SECTION_SYSTEM && c["code"] == section.code())
        })
    };
    top.iter().find(has_code).or_else(|| {
        top.iter()
            .filter_map(|s| s["section"].as_array())
            .flatten()
            .find(has_code)
    })
}

/// The PDF inside the Bundle: the PDF section's DocumentReference's data,
/// decoded.
pub fn embedded_pdf(bundle: &Value) -> Result<Vec<u8>, String> {
    let composition = &bundle["entry"][0]["resource"];
    let section = find_section(composition, Section::Pdf).ok_or("no PDF section (230)")?;
    let reference = section["entry"][0]["reference"]
        .as_str()
        .ok_or("the PDF section has no entry")?;
    let doc = resolve(bundle, reference).ok_or("the PDF section's entry does not resolve")?;
    if doc["resourceType"] != "DocumentReference" {
        return Err("the PDF section's entry is not a DocumentReference".into());
    }
    let attachment = &doc["content"][0]["attachment"];
    if attachment["contentType"] != "application/pdf" {
        return Err("the attachment is not application/pdf".into());
    }
    let data = attachment["data"]
        .as_str()
        .ok_or("the attachment has no data")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| format!("the attachment's data is not base64: {e}"))?;
    if !bytes.starts_with(b"%PDF-") {
        return Err("the attachment's data has no %PDF header".into());
    }
    Ok(bytes)
}

/// Everything in `bundle` that breaks what the JP-CLINS document profile
/// of `kind` requires; empty when it holds.
pub fn profile_problems(bundle: &Value, kind: DocumentKind) -> Vec<String> {
    let mut problems = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            problems.push(what.to_owned());
        }
    };
    need(bundle["resourceType"] == "Bundle", "not a Bundle");
    need(bundle["type"] == "document", "Bundle.type is not document");
    need(
        bundle["meta"]["profile"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p == kind.bundle_profile())),
        "Bundle.meta.profile lacks the document's profile",
    );
    need(bundle["timestamp"].is_string(), "no Bundle.timestamp");
    need(
        bundle["identifier"]["system"] == "http://jpfhir.jp/fhir/clins/bundle-identifier",
        "Bundle.identifier.system is not the CLINS one",
    );
    let identifier = bundle["identifier"]["value"].as_str().unwrap_or("");
    need(
        clins_identifier_ok(identifier),
        "Bundle.identifier.value is not 医療機関番号10桁^西暦4桁^番号",
    );

    // Every reference resolves inside the Bundle, every fullUrl once.
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    let mut urls: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["fullUrl"].as_str())
        .collect();
    let count = urls.len();
    urls.sort_unstable();
    urls.dedup();
    need(
        urls.len() == count && count == entries.len(),
        "fullUrls missing or repeated",
    );
    for reference in references(bundle) {
        need(
            urls.binary_search(&reference.as_str()).is_ok(),
            &format!("reference {reference} does not resolve"),
        );
    }

    let composition = &bundle["entry"][0]["resource"];
    need(
        composition["resourceType"] == "Composition",
        "the first entry is not the Composition",
    );
    need(
        composition["type"]["coding"].as_array().is_some_and(|c| {
            c.iter().any(|c| {
                c["system"] == "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes"
                    && c["code"] == kind.type_code()
            })
        }),
        &format!("Composition.type is not {}", kind.type_code()),
    );
    need(
        composition["identifier"]["value"] == identifier,
        "Composition.identifier differs from the Bundle's",
    );
    for section in kind.required_sections() {
        match find_section(composition, *section) {
            None => problems.push(format!(
                "section {} ({}) missing",
                section.code(),
                section.title()
            )),
            Some(s) => {
                // R4's cmp-1: text, entries or sub-sections.
                let filled = s.get("text").is_some()
                    || s.get("entry").is_some()
                    || s.get("section").is_some();
                if !filled || s["title"] != section.title() {
                    problems.push(format!(
                        "section {} without title or content",
                        section.code()
                    ));
                }
            }
        }
    }
    if let Err(e) = embedded_pdf(bundle) {
        problems.push(e);
    }

    for observation in entries
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Observation")
    {
        problems.extend(lab_observation_problems(observation, identifier));
    }

    let patient = entries
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == "Patient");
    match patient {
        None => problems.push("no Patient".into()),
        Some(p) => {
            let institution = identifier.split('^').next().unwrap_or("");
            let system = format!("urn:oid:1.2.392.100495.20.3.51.1{institution}");
            if p["identifier"][0]["system"] != system.as_str() {
                problems
                    .push("Patient.identifier is not 患者番号 under the institution's OID".into());
            }
            if !patient_has_katakana_name(p) {
                problems.push("Patient has no katakana (SYL) name".into());
            }
        }
    }
    problems
}

/// What JP_Observation_LabResult_eCS requires (min ≥ 1, and the
/// institution-number invariant) of one Observation.
fn lab_observation_problems(observation: &Value, bundle_identifier: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!("Observation: {what}"));
        }
    };
    need(
        observation["meta"]["profile"][0]
            == "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS",
        "not the lab result profile",
    );
    need(
        observation["meta"]["lastUpdated"].is_string(),
        "no meta.lastUpdated",
    );
    let institution = bundle_identifier.split('^').next().unwrap_or("");
    need(
        observation["extension"].as_array().is_some_and(|e| {
            e.iter().any(|e| {
                e["url"] == "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber"
                    && e["valueIdentifier"]["value"] == institution
            })
        }),
        "no institution number extension",
    );
    need(
        observation["identifier"][0]["system"]
            == "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier"
            && observation["identifier"][0]["value"].is_string(),
        "no resource identifier",
    );
    need(observation["status"] == "final", "status is not final");
    need(
        observation["category"]
            .as_array()
            .is_some_and(|c| c.len() == 1)
            && observation["category"][0]["coding"][0]["system"]
                == "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS"
            && observation["category"][0]["coding"][0]["code"] == "laboratory",
        "category is not laboratory",
    );
    need(
        observation["code"]["coding"].as_array().is_some_and(|c| {
            !c.is_empty()
                && c.iter().all(|c| {
                    c["system"].is_string() && c["code"].is_string() && c["display"].is_string()
                })
        }),
        "code.coding without system, code and display",
    );
    need(
        observation["code"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "no code.text",
    );
    need(
        observation["subject"]["reference"].is_string(),
        "no subject",
    );
    need(
        observation["effectiveDateTime"].is_string(),
        "no effectiveDateTime",
    );
    need(observation["specimen"].is_object(), "no specimen");
    problems
}

pub fn clins_identifier_ok(value: &str) -> bool {
    let parts: Vec<&str> = value.split('^').collect();
    let [number, year, document] = parts[..] else {
        return false;
    };
    let b = number.as_bytes();
    b.len() == 10
        && b.iter().all(u8::is_ascii_digit)
        && (b'0'..=b'4').contains(&b[0])
        && (b'1'..=b'3').contains(&b[2])
        && year.len() == 4
        && year.bytes().all(|c| c.is_ascii_digit())
        && !document.is_empty()
        && document.bytes().all(|c| c.is_ascii_alphanumeric())
}

pub fn patient_has_katakana_name(patient: &Value) -> bool {
    patient["name"].as_array().is_some_and(|names| {
        names.iter().any(|n| {
            n["extension"][0]["valueCode"] == "SYL"
                && n["text"].as_str().is_some_and(|t| {
                    !t.is_empty()
                        && t.chars().all(|c| {
                            ('\u{30A0}'..='\u{30FF}').contains(&c) || c == ' ' || c == '\u{3000}'
                        })
                })
        })
    })
}

/// Every `reference` string anywhere in the value.
fn references(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "reference"
                        && let Some(s) = v.as_str()
                    {
                        out.push(s.to_owned());
                    }
                    stack.push(v);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}
