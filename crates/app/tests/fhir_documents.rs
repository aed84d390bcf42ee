//! JP FHIR beside the PDF (ADR 0037): an issued letter saved as a
//! JP-CLINS document Bundle with its PDF inside, and the current 人生会議
//! as a Consent. Real SQLCipher, real renders; the JSON is read back with
//! serde_json and, as the FHIR crate's own tests do, checked by the
//! validator `scripts/setup.sh` installs (a missing validator fails).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use serde_json::Value;
use tsunagu_app::{
    AcpDraft, App, ClinicDraft, ErrorCode, LabRowDraft, LetterDraftContent, LetterKind, Treatment,
};
use tsunagu_store::AuditAction;
use tsunagu_testkit::fixtures::*;

const INSTITUTION: &str = "1311234569";

fn clinic(institution_code: &str) -> ClinicDraft {
    ClinicDraft {
        name: "さくら内科クリニック".into(),
        institution_code: institution_code.into(),
        postal_code: "171-0022".into(),
        address: "東京都豊島区南池袋2-10-5".into(),
        phone: "03-1234-5678".into(),
        fax: "03-1234-5679".into(),
        doctor_name: "佐藤　花子".into(),
    }
}

fn referral() -> LetterDraftContent {
    LetterDraftContent {
        to_institution: "豊島中央病院".into(),
        to_department: "循環器内科".into(),
        purpose: "動悸発作の精査をお願い申し上げます。".into(),
        diagnoses: "発作性心房細動の疑い\n高血圧症".into(),
        course: "本年4月下旬より動悸発作を自覚。".into(),
        prescriptions: "アムロジピン錠5mg 1回1錠 1日1回 朝食後".into(),
        lab_results: vec![
            lab("HbA1c", "7.2", "%", "4.6-6.2"),
            lab("CRP", "<0.01", "mg/dL", "0-0.14"),
        ],
        ..Default::default()
    }
}

fn lab(item: &str, value: &str, unit: &str, reference_range: &str) -> LabRowDraft {
    LabRowDraft {
        item: item.into(),
        value: value.into(),
        unit: unit.into(),
        reference_range: reference_range.into(),
        taken_on: "2026-11-20".into(),
    }
}

fn discharge() -> LetterDraftContent {
    LetterDraftContent {
        to_institution: "みなみ在宅クリニック".into(),
        to_doctor: "田中　一郎".into(),
        admitted_on: "2026-10-20".into(),
        discharged_on: "2026-11-18".into(),
        discharge_diagnoses: "発作性心房細動".into(),
        plan: "訪問診療にて経過観察をお願いします。".into(),
        ..Default::default()
    }
}

/// Issues a letter of `kind` with `content`; the letter's id.
async fn issue(app: &App, patient: &str, kind: LetterKind, content: &LetterDraftContent) -> String {
    let draft = app.start_letter(patient, kind).await.unwrap();
    let id = draft.id.to_string();
    app.save_letter_draft(&id, content).await.unwrap();
    app.issue_letter(&id).await.unwrap().summary.id.to_string()
}

fn resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn the_pdf(bundle: &Value) -> Vec<u8> {
    let docs = resources(bundle, "DocumentReference");
    assert_eq!(docs.len(), 1, "one DocumentReference: the PDF");
    let attachment = &docs[0]["content"][0]["attachment"];
    assert_eq!(attachment["contentType"], "application/pdf");
    base64::engine::general_purpose::STANDARD
        .decode(attachment["data"].as_str().expect("base64 data"))
        .expect("base64")
}

fn prints_of(trail: &[tsunagu_store::AuditEntry], kind: &str) -> usize {
    trail
        .iter()
        .filter(|e| e.action == AuditAction::Print && e.entity_kind == kind)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issued_referral_is_a_document_bundle_with_its_pdf_the_same_each_time() {
    let t = new_app().await;
    t.app
        .save_clinic_profile(&clinic(INSTITUTION))
        .await
        .unwrap();
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let letter = issue(&t.app, &patient, LetterKind::Referral, &referral()).await;

    let document = t.app.letter_fhir(&letter).await.unwrap();
    assert_eq!(document.file_name, "診療情報提供書_2026-11-24.json");
    let bundle: Value = serde_json::from_str(&document.json).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "document");
    let identifier = bundle["identifier"]["value"].as_str().unwrap();
    let parts: Vec<&str> = identifier.split('^').collect();
    assert_eq!(parts.len(), 3, "{identifier}");
    assert_eq!(parts[0], INSTITUTION);
    assert_eq!(parts[1], "2026", "the issue time's year, in Japan");
    assert_eq!(
        parts[2],
        uuid::Uuid::parse_str(&letter).unwrap().simple().to_string(),
        "the 文書番号 is the issued version's id"
    );
    assert!(
        parts[0].len() == 10 && parts[0].bytes().all(|b| b.is_ascii_digit()),
        "{identifier}"
    );
    // 2026-11-24T00:00:00Z, in Japan's time.
    assert_eq!(bundle["timestamp"], "2026-11-24T09:00:00+09:00");
    let composition = &resources(&bundle, "Composition")[0];
    assert_eq!(composition["type"]["coding"][0]["code"], "57133-1");

    // The 患者番号 is the カルテ番号, under the clinic's number.
    let patients = resources(&bundle, "Patient");
    assert_eq!(patients.len(), 1);
    let numbers: Vec<&str> = patients[0]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["value"].as_str())
        .collect();
    assert!(numbers.contains(&"A-1001"), "{numbers:?}");

    // The lab results as typed, one 検体検査結果 Observation each.
    let labs = resources(&bundle, "Observation");
    assert_eq!(labs.len(), 2);
    assert_eq!(labs[0]["code"]["text"], "HbA1c");
    assert_eq!(labs[0]["interpretation"][0]["coding"][0]["code"], "H");
    assert_eq!(labs[1]["valueQuantity"]["comparator"], "<");
    assert_eq!(
        labs[0]["extension"][0]["valueIdentifier"]["value"],
        INSTITUTION
    );

    // The PDF inside is the issued one, byte for byte.
    let pdf = t.app.letter_pdf(&letter).await.unwrap();
    assert_eq!(the_pdf(&bundle), pdf);

    // Saving again gives the same document (the same identifier, ids, JSON).
    let again = t.app.letter_fhir(&letter).await.unwrap();
    assert_eq!(again, document);

    let trail = t.app.store().audit_trail(&letter).await.unwrap();
    assert_eq!(prints_of(&trail, "letter_fhir"), 2, "each save is audited");
    assert_eq!(prints_of(&trail, "letter"), 1, "the PDF's own print");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discharge_letter_of_a_patient_without_a_chart_number_uses_the_patient_id() {
    let t = new_app().await;
    t.app
        .save_clinic_profile(&clinic(INSTITUTION))
        .await
        .unwrap();
    let mut draft = yamada();
    draft.chart_number = String::new();
    let patient = create(&t.app, &draft).await.id.to_string();
    let letter = issue(&t.app, &patient, LetterKind::Discharge, &discharge()).await;

    let document = t.app.letter_fhir(&letter).await.unwrap();
    assert_eq!(document.file_name, "退院時サマリー_2026-11-24.json");
    let bundle: Value = serde_json::from_str(&document.json).unwrap();
    assert_eq!(bundle["type"], "document");
    let composition = &resources(&bundle, "Composition")[0];
    assert_eq!(composition["type"]["coding"][0]["code"], "18842-5");
    let patient_resource = &resources(&bundle, "Patient")[0];
    let numbers: Vec<&str> = patient_resource["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["value"].as_str())
        .collect();
    assert!(numbers.contains(&patient.as_str()), "{numbers:?}");
    assert_eq!(the_pdf(&bundle), t.app.letter_pdf(&letter).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_is_a_new_document_number() {
    let t = new_app().await;
    t.app
        .save_clinic_profile(&clinic(INSTITUTION))
        .await
        .unwrap();
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let v1 = issue(&t.app, &patient, LetterKind::Referral, &referral()).await;
    let correction = t.app.correct_letter(&v1).await.unwrap();
    let v2 = t
        .app
        .issue_letter(&correction.id.to_string())
        .await
        .unwrap()
        .summary
        .id
        .to_string();
    let first: Value = serde_json::from_str(&t.app.letter_fhir(&v1).await.unwrap().json).unwrap();
    let second = t.app.letter_fhir(&v2).await.unwrap();
    assert_eq!(second.file_name, "診療情報提供書_2026-11-24_第2版.json");
    let second: Value = serde_json::from_str(&second.json).unwrap();
    assert_ne!(first["identifier"], second["identifier"]);
    assert_ne!(first["id"], second["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_usable_institution_code_nothing_is_made_or_audited() {
    let t = new_app().await;
    save_clinic(&t.app).await; // no 医療機関コード
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let letter = issue(&t.app, &patient, LetterKind::Referral, &referral()).await;

    let err = t.app.letter_fhir(&letter).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation, "{err:?}");
    assert_eq!(field_keys(&err), ["institutionCode"]);
    assert!(is_japanese(&err.message) && err.message.contains("医療機関情報"));
    assert!(!err.message.contains("山田"));
    let checked = t.app.check_letter_fhir(&letter).await.unwrap_err();
    assert_eq!(checked, err, "the check before the dialog says the same");
    let err = t.app.acp_fhir(&patient).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation, "{err:?}");

    // Ten digits but no prefecture 48 (nor the check digit): the profile
    // refuses them, and the letter still has no usable code.
    let err = t
        .app
        .save_clinic_profile(&clinic("4811234567"))
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["institutionCode"]);
    let err = t.app.letter_fhir(&letter).await.unwrap_err();
    assert_eq!(field_keys(&err), ["institutionCode"]);
    assert!(is_japanese(&err.message));

    let trail = t.app.store().audit_trail(&letter).await.unwrap();
    assert!(
        !trail.iter().any(|e| e.action == AuditAction::Print),
        "nothing left the clinic: {trail:?}"
    );

    // With a good code the same letter is made.
    t.app
        .save_clinic_profile(&clinic(INSTITUTION))
        .await
        .unwrap();
    t.app.check_letter_fhir(&letter).await.unwrap();
    t.app.letter_fhir(&letter).await.unwrap();
}

fn acp(held_on: &str) -> AcpDraft {
    AcpDraft {
        held_on: held_on.into(),
        participants: vec![tsunagu_app::AcpParticipantDraft {
            role: "patient".into(),
            ..Default::default()
        }],
        values: "家で孫と過ごしたい".into(),
        place_of_care: "home".into(),
        place_of_death: "home".into(),
        wishes: Treatment::ALL
            .iter()
            .map(|t| {
                let wish = if *t == Treatment::Cpr {
                    "declines"
                } else {
                    "undecided"
                };
                (t.code().to_string(), wish.to_string())
            })
            .collect(),
        surrogate_name: "山田 花子".into(),
        surrogate_relation: "長女".into(),
        surrogate_phone: "090-1234-5678".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_acp_is_a_consent_of_the_latest_version() {
    let t = new_app().await;
    t.app
        .save_clinic_profile(&clinic(INSTITUTION))
        .await
        .unwrap();
    let patient = create(&t.app, &yamada()).await.id.to_string();
    let err = t.app.acp_fhir(&patient).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation, "no record yet: {err:?}");
    assert!(is_japanese(&err.message));

    t.app
        .record_acp(&patient, &acp("2026-05-10"))
        .await
        .unwrap();
    let recorded = t
        .app
        .record_acp(&patient, &acp("2026-11-20"))
        .await
        .unwrap();
    let current = recorded.history.versions[0].id;

    let document = t.app.acp_fhir(&patient).await.unwrap();
    assert_eq!(document.file_name, "人生会議_2026-11-20.json");
    let consent: Value = serde_json::from_str(&document.json).unwrap();
    assert_eq!(consent["resourceType"], "Consent");
    assert_eq!(consent["scope"]["coding"][0]["code"], "adr");
    assert_eq!(
        consent["identifier"][0]["value"],
        format!("{INSTITUTION}^2026^{}", current.simple())
    );
    assert_eq!(t.app.acp_fhir(&patient).await.unwrap(), document);
    let trail = t
        .app
        .store()
        .audit_trail(&current.to_string())
        .await
        .unwrap();
    assert_eq!(prints_of(&trail, "acp_fhir"), 2);
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("TSUNAGU_FHIR_PYTHON") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").expect("HOME is set");
    Path::new(&home).join(".cache/tsunagu/fhir-venv/bin/python")
}

/// The FHIR crate's validator (fhir.resources + the invariants), on what
/// the app saves: real letters, the app's patient and document numbers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_app_saves_passes_the_fhir_validator() {
    let python = python();
    assert!(
        python.exists(),
        "the FHIR validator is not installed ({} is missing): run scripts/setup.sh \
         (make test does), or set TSUNAGU_FHIR_PYTHON to a Python with fhir.resources==8.3.0",
        python.display()
    );
    let t = new_app().await;
    t.app
        .save_clinic_profile(&clinic(INSTITUTION))
        .await
        .unwrap();
    let mut no_chart = yamada();
    no_chart.chart_number = String::new();
    let patient = create(&t.app, &no_chart).await.id.to_string();
    let referral = issue(&t.app, &patient, LetterKind::Referral, &referral()).await;
    let discharge = issue(&t.app, &patient, LetterKind::Discharge, &discharge()).await;
    t.app
        .record_acp(&patient, &acp("2026-11-20"))
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, json) in [
        ("referral", t.app.letter_fhir(&referral).await.unwrap().json),
        (
            "discharge",
            t.app.letter_fhir(&discharge).await.unwrap().json,
        ),
        ("acp", t.app.acp_fhir(&patient).await.unwrap().json),
    ] {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, json).unwrap();
        paths.push(path);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fhir/tests/fhir_validate.py");
    let output = Command::new(&python)
        .arg(script)
        .args(&paths)
        .output()
        .expect("the validator runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
