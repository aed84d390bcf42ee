//! The documents against what the JP-CLINS profiles require: Bundle.type,
//! the CLINS identifier, Composition.type, each required section with its
//! code, the PDF inside (its bytes exactly), the patient's katakana name;
//! and the check itself failing on broken Bundles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::*;
use serde_json::{Value, json};
use tsunagu_fhir::{
    DocumentKind, FhirError, Section, acp_consent, discharge_bundle, document_bundle,
    referral_bundle,
};
use tsunagu_letters::Letter;

/// A change to a good input, and a change that breaks a good Bundle.
type Change = Box<dyn Fn(&mut tsunagu_fhir::DocumentInput)>;
type Breakage = Box<dyn Fn(&mut Value)>;

#[test]
fn referral_bundle_meets_the_ereferral_profile() {
    let letter = referral_letter();
    let pdf = pdf_of(&letter);
    let bundle = parse(&referral_bundle(&input(&letter, &pdf)).unwrap());
    assert_eq!(
        profile_problems(&bundle, DocumentKind::Referral),
        Vec::<String>::new()
    );
    assert_eq!(bundle["identifier"]["value"], "1311234567^2026^000042");
    let composition = &bundle["entry"][0]["resource"];
    assert_eq!(composition["type"]["coding"][0]["code"], "57133-1");
    assert_eq!(composition["title"], "診療情報提供書");
    let purpose = find_section(composition, Section::ReferralPurpose).unwrap();
    assert!(
        purpose["text"]["div"]
            .as_str()
            .unwrap()
            .contains("動悸発作の精査")
    );
    // One Condition per diagnosis, referenced from 傷病名・主訴.
    let problem = find_section(composition, Section::Problem).unwrap();
    assert_eq!(problem["entry"].as_array().unwrap().len(), 3);
    let first = resolve(&bundle, problem["entry"][0]["reference"].as_str().unwrap()).unwrap();
    assert_eq!(first["code"]["text"], "１．発作性心房細動の疑い");
    // Remarks (備考) go to 備考・連絡情報.
    assert!(find_section(composition, Section::RemarksCommunication).is_some());
}

#[test]
fn the_pdf_inside_is_the_pdf_given() {
    let letter = referral_letter();
    let pdf = pdf_of(&letter);
    let bundle = parse(&referral_bundle(&input(&letter, &pdf)).unwrap());
    assert_eq!(embedded_pdf(&bundle).unwrap(), pdf);
}

#[test]
fn patient_carries_number_kanji_and_katakana() {
    let letter = referral_letter();
    let pdf = pdf_of(&letter);
    let bundle = parse(&referral_bundle(&input(&letter, &pdf)).unwrap());
    let patient = &bundle["entry"][1]["resource"];
    assert_eq!(patient["resourceType"], "Patient");
    assert_eq!(
        patient["identifier"][0],
        json!({ "system": "urn:oid:1.2.392.100495.20.3.51.11311234567", "value": "000123" })
    );
    assert_eq!(patient["name"][0]["text"], "山田　太郎");
    assert_eq!(patient["name"][0]["extension"][0]["valueCode"], "IDE");
    assert_eq!(patient["name"][1]["text"], "ヤマダ　タロウ");
    assert_eq!(patient["name"][1]["family"], "ヤマダ");
    assert_eq!(patient["name"][1]["given"][0], "タロウ");
    assert_eq!(patient["gender"], "male");
    assert_eq!(patient["birthDate"], "1950-04-01");
}

#[test]
fn discharge_bundle_meets_the_edischargesummary_profile() {
    let letter = discharge_letter();
    let pdf = pdf_of(&letter);
    let bundle = parse(&discharge_bundle(&input(&letter, &pdf)).unwrap());
    assert_eq!(
        profile_problems(&bundle, DocumentKind::DischargeSummary),
        Vec::<String>::new()
    );
    let composition = &bundle["entry"][0]["resource"];
    assert_eq!(composition["type"]["coding"][0]["code"], "18842-5");
    let structured = find_section(composition, Section::Structured).unwrap();
    assert_eq!(structured["section"].as_array().unwrap().len(), 10);
    let diagnoses = find_section(composition, Section::DiagnosesOnDischarge).unwrap();
    assert_eq!(diagnoses["entry"].as_array().unwrap().len(), 4);
    let stay = find_section(composition, Section::DetailsOnAdmission).unwrap();
    let encounter = resolve(&bundle, stay["entry"][0]["reference"].as_str().unwrap()).unwrap();
    assert_eq!(encounter["class"]["code"], "IMP");
    assert_eq!(
        encounter["period"],
        json!({ "start": "2026-05-20", "end": "2026-06-18" })
    );
    assert_eq!(embedded_pdf(&bundle).unwrap(), pdf);
}

#[test]
fn a_blank_field_is_an_empty_section_that_says_why() {
    let Letter::Referral(mut letter) = referral_letter() else {
        panic!("fixture is a referral")
    };
    letter.history = String::new();
    let letter = Letter::Referral(letter);
    let pdf = pdf_of(&letter);
    let bundle = parse(&referral_bundle(&input(&letter, &pdf)).unwrap());
    let composition = &bundle["entry"][0]["resource"];
    let history = find_section(composition, Section::PastIllness).unwrap();
    assert_eq!(history["emptyReason"]["coding"][0]["code"], "unavailable");
    // R4's cmp-1: a section has text, entries or sub-sections.
    assert!(
        history["text"]["div"]
            .as_str()
            .unwrap()
            .contains("記載なし")
    );
    assert!(history.get("entry").is_none());
}

#[test]
fn output_is_deterministic_and_ids_follow_the_identifier() {
    let letter = referral_letter();
    let pdf = pdf_of(&letter);
    let a = referral_bundle(&input(&letter, &pdf)).unwrap();
    assert_eq!(a, referral_bundle(&input(&letter, &pdf)).unwrap());
    let mut other = input(&letter, &pdf);
    other.document_number = "000043";
    let b = parse(&referral_bundle(&other).unwrap());
    assert_ne!(parse(&a)["id"], b["id"]);
    assert_ne!(parse(&a)["entry"][1]["fullUrl"], b["entry"][1]["fullUrl"]);
}

#[test]
fn document_bundle_follows_the_letters_kind() {
    let referral = referral_letter();
    let pdf = pdf_of(&referral);
    assert_eq!(
        document_bundle(&input(&referral, &pdf)).unwrap(),
        referral_bundle(&input(&referral, &pdf)).unwrap()
    );
    assert_eq!(
        discharge_bundle(&input(&referral, &pdf)),
        Err(FhirError::WrongLetterKind)
    );
    let discharge = discharge_letter();
    assert_eq!(
        referral_bundle(&input(&discharge, &pdf)),
        Err(FhirError::WrongLetterKind)
    );
}

#[test]
fn bad_input_is_an_error_with_a_code_never_a_panic() {
    let letter = referral_letter();
    let pdf = pdf_of(&letter);
    let cases: Vec<(Change, FhirError)> = vec![
        (
            Box::new(|i| i.institution_number = "131123456"),
            FhirError::InstitutionNumber,
        ),
        (
            Box::new(|i| i.institution_number = "13112345678"),
            FhirError::InstitutionNumber,
        ),
        (
            Box::new(|i| i.institution_number = "9911234567"),
            FhirError::InstitutionNumber,
        ),
        (
            Box::new(|i| i.document_number = ""),
            FhirError::DocumentNumber,
        ),
        (
            Box::new(|i| i.document_number = "1^2"),
            FhirError::DocumentNumber,
        ),
        (
            Box::new(|i| i.patient_number = ""),
            FhirError::PatientNumber,
        ),
        (Box::new(|i| i.pdf = b"not a pdf"), FhirError::NotAPdf),
    ];
    for (change, expected) in cases {
        let mut bad = input(&letter, &pdf);
        change(&mut bad);
        let err = referral_bundle(&bad).unwrap_err();
        assert_eq!(err, expected);
        assert!(err.code().starts_with("fhir_"));
        assert!(
            !err.to_string().contains("山田"),
            "no patient data in messages"
        );
    }
    let Letter::Referral(mut empty) = referral_letter() else {
        panic!("fixture is a referral")
    };
    empty.purpose = String::new();
    let empty = Letter::Referral(empty);
    let err = referral_bundle(&input(&empty, &pdf)).unwrap_err();
    assert_eq!(err.code(), "fhir_letter");
}

/// The check fails when the Bundle breaks the profile: each breakage is
/// named, so a passing check above means something.
#[test]
fn the_profile_check_catches_broken_bundles() {
    let letter = with_lab_results(referral_letter());
    let pdf = pdf_of(&letter);
    let good = parse(&referral_bundle(&input(&letter, &pdf)).unwrap());

    let breakages: Vec<(&str, Breakage)> = vec![
        (
            "950",
            Box::new(|b| {
                let structured = b["entry"][0]["resource"]["section"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|s| s["code"]["coding"][0]["code"] == "300")
                    .unwrap();
                structured["section"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|s| s["code"]["coding"][0]["code"] != "950");
            }),
        ),
        (
            "230",
            Box::new(|b| {
                b["entry"][0]["resource"]["section"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|s| s["code"]["coding"][0]["code"] != "230");
            }),
        ),
        (
            "%PDF",
            Box::new(|b| {
                let doc = first_resource_mut(b, "DocumentReference");
                doc["content"][0]["attachment"]["data"] = json!("aGVsbG8=");
            }),
        ),
        (
            "identifier",
            Box::new(|b| b["identifier"]["value"] = json!("131123456^2026^1")),
        ),
        (
            "57133-1",
            Box::new(|b| b["entry"][0]["resource"]["type"]["coding"][0]["code"] = json!("18842-5")),
        ),
        (
            "katakana",
            Box::new(|b| b["entry"][1]["resource"]["name"][1]["text"] = json!("やまだ")),
        ),
        (
            "does not resolve",
            Box::new(|b| {
                b["entry"][0]["resource"]["subject"]["reference"] = json!("urn:uuid:nowhere")
            }),
        ),
        ("document", Box::new(|b| b["type"] = json!("collection"))),
        (
            "Observation: no code.text",
            Box::new(|b| {
                let lab = first_resource_mut(b, "Observation");
                lab["code"].as_object_mut().unwrap().remove("text");
            }),
        ),
        (
            "Observation: no institution number",
            Box::new(|b| {
                let lab = first_resource_mut(b, "Observation");
                lab["extension"] = json!([]);
            }),
        ),
        (
            "without title or content",
            Box::new(|b| {
                let structured = b["entry"][0]["resource"]["section"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|s| s["code"]["coding"][0]["code"] == "300")
                    .unwrap();
                let purpose = structured["section"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|s| s["code"]["coding"][0]["code"] == "950")
                    .unwrap();
                purpose.as_object_mut().unwrap().remove("text");
                purpose["emptyReason"] = json!({ "text": "blank" });
            }),
        ),
    ];
    for (named, break_it) in breakages {
        let mut broken = good.clone();
        break_it(&mut broken);
        let problems = profile_problems(&broken, DocumentKind::Referral);
        assert!(
            problems.iter().any(|p| p.contains(named)),
            "breaking {named} went unnoticed: {problems:?}"
        );
    }
}

/// Each lab result is a 検体検査結果 Observation under 検査結果 (620):
/// uncoded with its name as text, the number with its sign and unit, H or
/// L from a numeric range, the range as typed.
#[test]
fn lab_results_are_observations_under_the_exams_section() {
    let letter = with_lab_results(referral_letter());
    let pdf = pdf_of(&letter);
    let bundle = parse(&referral_bundle(&input(&letter, &pdf)).unwrap());
    assert_eq!(
        profile_problems(&bundle, DocumentKind::Referral),
        Vec::<String>::new()
    );
    let composition = &bundle["entry"][0]["resource"];
    let section = find_section(composition, Section::ExamsStudy).expect("section 620");
    assert_eq!(section["title"], "検査結果");
    let div = section["text"]["div"].as_str().unwrap();
    assert!(
        div.contains("HbA1c　7.2 %　H（基準値 4.6-6.2）　2026-05-08"),
        "{div}"
    );
    let observations: Vec<&Value> = section["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| resolve(&bundle, r["reference"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(observations.len(), 4);
    let [hba1c, crp, bnp, ph] = observations[..] else {
        panic!("four results")
    };
    assert_eq!(hba1c["code"]["text"], "HbA1c");
    assert_eq!(hba1c["code"]["coding"][0]["code"], "99999999999999999");
    assert_eq!(hba1c["valueQuantity"], json!({ "value": 7.2, "unit": "%" }));
    assert_eq!(hba1c["interpretation"][0]["coding"][0]["code"], "H");
    assert_eq!(
        hba1c["referenceRange"][0],
        json!({
            "text": "4.6-6.2",
            "low": { "value": 4.6, "unit": "%" },
            "high": { "value": 6.2, "unit": "%" },
        })
    );
    assert_eq!(hba1c["effectiveDateTime"], "2026-05-08");
    assert_eq!(
        crp["valueQuantity"],
        json!({ "value": 0.01, "comparator": "<", "unit": "mg/dL" })
    );
    assert!(crp.get("interpretation").is_none());
    assert_eq!(bnp["referenceRange"][0], json!({ "text": "18.4以下" }));
    assert!(bnp.get("interpretation").is_none());
    assert_eq!(ph["valueQuantity"], json!({ "value": 6.0 }));
    assert!(ph.get("referenceRange").is_none());
    assert_ne!(
        hba1c["identifier"][0]["value"],
        crp["identifier"][0]["value"]
    );

    // Without results, no section and no Observation.
    let plain = referral_letter();
    let pdf = pdf_of(&plain);
    let bundle = parse(&referral_bundle(&input(&plain, &pdf)).unwrap());
    assert!(find_section(&bundle["entry"][0]["resource"], Section::ExamsStudy).is_none());
    assert!(
        bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["resource"]["resourceType"] != "Observation")
    );
}

/// A discharge summary says its results in 入院中検査結果 (623), text only:
/// its Bundle has no slice for the lab profile.
#[test]
fn a_discharge_summary_says_its_lab_results_in_text() {
    let letter = with_lab_results(discharge_letter());
    let pdf = pdf_of(&letter);
    let bundle = parse(&discharge_bundle(&input(&letter, &pdf)).unwrap());
    assert_eq!(
        profile_problems(&bundle, DocumentKind::DischargeSummary),
        Vec::<String>::new()
    );
    let section =
        find_section(&bundle["entry"][0]["resource"], Section::HospitalStudy).expect("623");
    let div = section["text"]["div"].as_str().unwrap();
    assert!(div.contains("CRP　&lt;0.01 mg/dL"), "{div}");
    assert!(section.get("entry").is_none());
}

#[test]
fn acp_consent_is_scope_adr_with_a_provision_per_treatment() {
    let record = acp_record();
    let consent = parse(&acp_consent(&consent_input(&record)).unwrap());
    assert_eq!(consent["resourceType"], "Consent");
    assert_eq!(consent["status"], "active");
    assert_eq!(
        consent["scope"]["coding"][0]["system"],
        "http://terminology.hl7.org/CodeSystem/consentscope"
    );
    assert_eq!(consent["scope"]["coding"][0]["code"], "adr");
    assert_eq!(consent["category"][0]["coding"][0]["code"], "59284-0");
    assert_eq!(consent["category"][1]["coding"][0]["code"], "acd");
    assert_eq!(consent["dateTime"], "2026-04-20");
    let provisions = consent["provision"]["provision"].as_array().unwrap();
    let types: Vec<&Value> = provisions.iter().map(|p| &p["type"]).collect();
    assert_eq!(
        types,
        [
            &json!("deny"),
            &json!("deny"),
            &Value::Null,
            &json!("permit"),
            &json!("permit"),
            &Value::Null
        ]
    );
    assert_eq!(provisions[0]["code"][0]["text"], "心肺蘇生（DNARの有無）");
    // Undecided is said in words, never left blank.
    let div = consent["text"]["div"].as_str().unwrap();
    assert!(div.contains("経管栄養（胃ろう等）：未定"), "{div}");
    assert!(div.contains("希望しない（DNAR）"));
    // The surrogate, contained and named as the actor.
    assert_eq!(
        consent["provision"]["actor"][0]["reference"]["reference"],
        "#surrogate"
    );
    assert_eq!(
        consent["provision"]["actor"][0]["role"]["coding"][0]["code"],
        "HPOWATT"
    );
    let contained = consent["contained"].as_array().unwrap();
    assert_eq!(contained[0]["id"], "patient");
    assert!(patient_has_katakana_name(&contained[0]));
    assert_eq!(contained[1]["resourceType"], "RelatedPerson");
    assert_eq!(contained[1]["relationship"][0]["text"], "長女");
}

#[test]
fn acp_consent_without_surrogate_has_no_actor() {
    let mut record = acp_record();
    record.surrogate = None;
    let consent = parse(&acp_consent(&consent_input(&record)).unwrap());
    assert!(consent["provision"].get("actor").is_none());
    assert_eq!(consent["contained"].as_array().unwrap().len(), 1);
    let mut bad = consent_input(&record);
    bad.institution_number = "abc";
    assert_eq!(acp_consent(&bad), Err(FhirError::InstitutionNumber));
}
