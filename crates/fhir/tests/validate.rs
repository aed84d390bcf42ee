//! Every document this crate makes, checked by a FHIR validator from PyPI
//! (fhir.resources, pinned and installed by `scripts/setup.sh` into
//! `~/.cache/tsunagu/fhir-venv`; ADR 0037). A missing validator fails the
//! test and says how to install it: `make test` installs it, so a pass
//! always means the validator ran.
//!
//! `TSUNAGU_FHIR_PYTHON` names another interpreter that has it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Value, json};
use tsunagu_fhir::{acp_consent, discharge_bundle, referral_bundle};

/// A change that breaks a good Bundle.
type Breakage = Box<dyn Fn(&mut Value)>;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fhir_validate.py");

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("TSUNAGU_FHIR_PYTHON") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").expect("HOME is set");
    Path::new(&home).join(".cache/tsunagu/fhir-venv/bin/python")
}

/// Runs the validator on each JSON text; Ok with its report, or Err with
/// the validator's own message.
fn validate(documents: &[(&str, String)]) -> Result<String, String> {
    let python = python();
    assert!(
        python.exists(),
        "the FHIR validator is not installed ({} is missing): run scripts/setup.sh \
         (make test does), or set TSUNAGU_FHIR_PYTHON to a Python with fhir.resources==8.3.0",
        python.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = documents
        .iter()
        .map(|(name, json)| {
            let path = dir.path().join(format!("{name}.json"));
            std::fs::write(&path, json).expect("write");
            path
        })
        .collect();
    let output = Command::new(&python)
        .arg(SCRIPT)
        .args(&paths)
        .output()
        .expect("the validator runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    match output.status.code() {
        Some(0) => Ok(stdout),
        Some(2) => panic!("the FHIR validator is not usable: {stderr}"),
        _ => Err(stderr),
    }
}

fn referral_json() -> String {
    let letter = referral_letter();
    let pdf = pdf_of(&letter);
    referral_bundle(&input(&letter, &pdf)).expect("bundle")
}

#[test]
fn referral_bundle_is_valid_fhir() {
    let report = validate(&[("referral", referral_json())]).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("valid"), "{report}");
}

#[test]
fn discharge_bundle_is_valid_fhir() {
    let letter = discharge_letter();
    let pdf = pdf_of(&letter);
    let json = discharge_bundle(&input(&letter, &pdf)).expect("bundle");
    validate(&[("discharge", json)]).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn letters_with_lab_results_are_valid_fhir() {
    let referral = with_lab_results(referral_letter());
    let pdf = pdf_of(&referral);
    let referral_json = referral_bundle(&input(&referral, &pdf)).expect("bundle");
    let discharge = with_lab_results(discharge_letter());
    let pdf = pdf_of(&discharge);
    let discharge_json = discharge_bundle(&input(&discharge, &pdf)).expect("bundle");
    validate(&[("referral", referral_json), ("discharge", discharge_json)])
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn sparse_letters_are_valid_fhir_too() {
    // Optional fields left blank: empty sections with their reason, no
    // remarks section, no named doctor at the addressee.
    let tsunagu_letters::Letter::Referral(mut referral) = referral_letter() else {
        panic!("fixture is a referral")
    };
    referral.history.clear();
    referral.course.clear();
    referral.treatment.clear();
    referral.prescriptions.clear();
    referral.remarks.clear();
    referral.enclosures = vec!["心電図".into()];
    referral.header.to.doctor = "田中　一郎".into();
    let referral = tsunagu_letters::Letter::Referral(referral);
    let pdf = pdf_of(&referral);
    let referral_json = referral_bundle(&input(&referral, &pdf)).expect("bundle");

    let tsunagu_letters::Letter::Discharge(mut discharge) = discharge_letter() else {
        panic!("fixture is a discharge letter")
    };
    discharge.admission_diagnoses.clear();
    discharge.chief_complaint.clear();
    discharge.contact.clear();
    let discharge = tsunagu_letters::Letter::Discharge(discharge);
    let pdf = pdf_of(&discharge);
    let discharge_json = discharge_bundle(&input(&discharge, &pdf)).expect("bundle");
    validate(&[("referral", referral_json), ("discharge", discharge_json)])
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_validator_refuses_a_broken_consent() {
    let record = acp_record();
    let good: Value = serde_json::from_str(&acp_consent(&consent_input(&record)).expect("consent"))
        .expect("json");
    let breakages: Vec<(&str, Breakage)> = vec![
        (
            "ppc-1",
            Box::new(|c| {
                c.as_object_mut().unwrap().remove("policyRule");
            }),
        ),
        (
            "dom-3",
            Box::new(|c| {
                c["provision"].as_object_mut().unwrap().remove("actor");
            }),
        ),
        ("scope", Box::new(|c| c["scope"] = json!("adr"))),
    ];
    for (named, break_it) in breakages {
        let mut broken = good.clone();
        break_it(&mut broken);
        let message = validate(&[("broken", broken.to_string())])
            .err()
            .unwrap_or_else(|| panic!("the validator passed a Consent with broken {named}"));
        assert!(message.contains(named), "{named}: {message}");
    }
}

#[test]
fn acp_consent_is_valid_fhir() {
    let record = acp_record();
    let with_surrogate = acp_consent(&consent_input(&record)).expect("consent");
    let mut record = acp_record();
    record.surrogate = None;
    let without = acp_consent(&consent_input(&record)).expect("consent");
    validate(&[("consent", with_surrogate), ("consent-alone", without)])
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The validator fails on broken documents, naming the element: a pass
/// above is the validator's word, not silence.
#[test]
fn the_validator_refuses_broken_documents() {
    let letter = with_lab_results(referral_letter());
    let pdf = pdf_of(&letter);
    let good: Value =
        serde_json::from_str(&referral_bundle(&input(&letter, &pdf)).expect("bundle"))
            .expect("json");
    let breakages: Vec<(&str, Breakage)> = vec![
        (
            "status",
            Box::new(|b| {
                b["entry"][0]["resource"]
                    .as_object_mut()
                    .unwrap()
                    .remove("status");
            }),
        ),
        (
            "sectoin",
            Box::new(|b| {
                b["entry"][0]["resource"]["sectoin"] = json!([]);
            }),
        ),
        (
            "birthDate",
            Box::new(|b| b["entry"][1]["resource"]["birthDate"] = json!("1950/04/01")),
        ),
        (
            "data",
            Box::new(|b| {
                let doc = first_resource_mut(b, "DocumentReference");
                doc["content"][0]["attachment"]["data"] = json!(42);
            }),
        ),
        ("type", Box::new(|b| b["type"] = json!(["document"]))),
        (
            "effectiveDateTime",
            Box::new(|b| {
                let lab = first_resource_mut(b, "Observation");
                lab["effectiveDateTime"] = json!("2026/05/08");
            }),
        ),
        // The invariants, evaluated by FHIRPath.
        (
            "cmp-1",
            Box::new(|b| {
                let remarks = b["entry"][0]["resource"]["section"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|s| s["code"]["coding"][0]["code"] == "220")
                    .unwrap();
                remarks.as_object_mut().unwrap().remove("text");
                remarks["emptyReason"] = json!({ "text": "blank" });
            }),
        ),
        (
            "bdl-11",
            Box::new(|b| b["entry"].as_array_mut().unwrap().swap(0, 1)),
        ),
        (
            "bdl-7",
            Box::new(|b| b["entry"][2]["fullUrl"] = b["entry"][1]["fullUrl"].clone()),
        ),
        (
            "clins-identifier",
            Box::new(|b| b["identifier"]["value"] = json!("1311234567-2026-1")),
        ),
        (
            "checkExist-CDASection-or-CompositionSection",
            Box::new(|b| {
                b["entry"][0]["resource"]["section"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|s| s["code"]["coding"][0]["code"] != "300");
            }),
        ),
    ];
    for (named, break_it) in breakages {
        let mut broken = good.clone();
        break_it(&mut broken);
        let message = validate(&[("broken", broken.to_string())])
            .err()
            .unwrap_or_else(|| panic!("the validator passed a Bundle with broken {named}"));
        assert!(message.contains(named), "{named}: {message}");
    }
}
