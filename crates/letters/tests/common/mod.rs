//! Fixtures shared by the letter tests.
#![allow(dead_code)] // Each test binary uses its own share.

use tsunagu_letters::{Letter, ReferralLetter};

/// The standard one-page referral letter (fixtures/standard-referral.json).
pub fn standard() -> Letter {
    Letter::from_json(include_str!("../../fixtures/standard-referral.json")).unwrap()
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
