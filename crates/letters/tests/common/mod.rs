//! Fixtures shared by the letter tests.
#![allow(dead_code, reason = "each test binary uses its own share")]

use std::path::Path;
use std::process::Command;

use tsunagu_letters::{ConsentForm, Letter, ReferralLetter};

/// The standard one-page referral letter (fixtures/standard-referral.json).
pub fn standard() -> Letter {
    Letter::from_json(include_str!("../../fixtures/standard-referral.json")).unwrap()
}

/// A consent form for the standard letter's patient (fixtures/consent.json).
pub fn consent() -> ConsentForm {
    serde_json::from_str(include_str!("../../fixtures/consent.json")).unwrap()
}

pub fn referral(letter: &mut Letter) -> &mut ReferralLetter {
    match letter {
        Letter::Referral(r) => r,
        Letter::Discharge(_) => unreachable!(),
    }
}

/// Every paragraph of a referral letter's sections, as typed.
pub fn section_paragraphs(letter: &Letter) -> Vec<&str> {
    let Letter::Referral(r) = letter else {
        unreachable!()
    };
    r.diagnoses
        .iter()
        .chain(&r.prescriptions)
        .chain([&r.purpose, &r.course, &r.treatment, &r.history, &r.remarks])
        .flat_map(|text| text.lines())
        .collect()
}

/// Runs a poppler tool and gives its output.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by `make setup`): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from poppler")
}

/// The whole text of a PDF, as pdftotext extracts it.
pub fn text(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

pub fn pages(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}
