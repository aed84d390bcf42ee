//! JP FHIR beside every PDF (issue 19, ADR 0037): each issued
//! 診療情報提供書 as a JP-CLINS eReferral document Bundle, each discharge
//! letter as a JP-CLINS eDischargeSummary document Bundle, and the 人生会議
//! (ACP) as a FHIR R4 Consent of scope `adr`.
//!
//! The letter's own PDF travels inside the Bundle (the PDF section, code
//! 230, whose entry is a DocumentReference carrying the bytes as base64),
//! so a receiver that reads only FHIR still has the document as signed.
//!
//! Everything is a pure function of its input: resource ids are UUIDs
//! derived from the Bundle identifier (医療機関番号^西暦^番号) and the
//! resource's role, so the same letter gives byte-for-byte the same JSON
//! and a test can compare.

mod codes;
mod consent;
mod document;
mod ids;
mod json;
mod lab;
mod resources;
mod xhtml;

use chrono::{DateTime, FixedOffset, NaiveDate};
use tsunagu_letters::{Letter, LetterError};

pub use codes::{DocumentKind, SECTION_SYSTEM, Section};
pub use ids::{check_institution_number, clins_identifier};

/// What a document Bundle is made of: the letter as issued, its rendered
/// PDF and what the letter model does not carry.
#[derive(Debug, Clone, Copy)]
pub struct DocumentInput<'a> {
    pub letter: &'a Letter,
    /// The PDF exactly as issued (what is printed and saved beside).
    pub pdf: &'a [u8],
    /// 医療機関番号 (10 digits: 都道府県2 + 点数表1 + 医療機関コード7) of the
    /// institution that issues the letter (the letter's `from`).
    pub institution_number: &'a str,
    /// 患者番号: the patient's number in the issuing institution's records.
    pub patient_number: &'a str,
    /// The institution's own number for this document, the last part of
    /// the CLINS identifier (ASCII letters and digits).
    pub document_number: &'a str,
    /// When the document was issued, with its offset (Japan time in use).
    pub issued_at: DateTime<FixedOffset>,
}

/// Who the patient is, for a Consent (an ACP record does not carry it).
#[derive(Debug, Clone, Copy)]
pub struct PatientIdentity<'a> {
    pub number: &'a str,
    pub name: &'a str,
    pub kana: &'a str,
    /// "male", "female" or "other", as in the patient record.
    pub sex: &'a str,
    pub birth_date: NaiveDate,
}

/// One version of the 人生会議 record, with what a Consent needs around it.
#[derive(Debug, Clone, Copy)]
pub struct ConsentInput<'a> {
    pub record: &'a tsunagu_domain::acp::AcpRecord,
    pub patient: PatientIdentity<'a>,
    /// The clinic that recorded the conversation.
    pub institution_number: &'a str,
    pub clinic_name: &'a str,
    /// The version's own number (e.g. the record's id), unique per clinic.
    pub record_number: &'a str,
    /// When this version was recorded.
    pub recorded_at: DateTime<FixedOffset>,
}

/// The 診療情報提供書 as a JP-CLINS eReferral document Bundle (FHIR R4 JSON).
pub fn referral_bundle(input: &DocumentInput) -> Result<String, FhirError> {
    match input.letter {
        Letter::Referral(letter) => to_json(&document::referral(input, letter)?),
        Letter::Discharge(_) => Err(FhirError::WrongLetterKind),
    }
}

/// The discharge letter as a JP-CLINS eDischargeSummary document Bundle.
pub fn discharge_bundle(input: &DocumentInput) -> Result<String, FhirError> {
    match input.letter {
        Letter::Discharge(letter) => to_json(&document::discharge(input, letter)?),
        Letter::Referral(_) => Err(FhirError::WrongLetterKind),
    }
}

/// The Bundle for whichever kind of letter this is: what is saved beside
/// its PDF.
pub fn document_bundle(input: &DocumentInput) -> Result<String, FhirError> {
    match input.letter {
        Letter::Referral(_) => referral_bundle(input),
        Letter::Discharge(_) => discharge_bundle(input),
    }
}

/// The current wishes of a 人生会議 as a FHIR R4 Consent of scope `adr`.
pub fn acp_consent(input: &ConsentInput) -> Result<String, FhirError> {
    to_json(&consent::consent(input)?)
}

fn to_json(value: &serde_json::Value) -> Result<String, FhirError> {
    json::pretty(value)
}

/// Why no FHIR document was made. Messages are Japanese (the app shows
/// them) and never repeat patient data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FhirError {
    #[error(
        "医療機関番号は10桁の数字（都道府県2桁・点数表1桁・医療機関コード7桁）で入力してください"
    )]
    InstitutionNumber,
    #[error("文書番号は半角英数字（1〜32文字）で指定してください")]
    DocumentNumber,
    #[error("患者番号は半角英数字と「-」（1〜64文字）で指定してください")]
    PatientNumber,
    #[error("添付する PDF が正しくありません")]
    NotAPdf,
    #[error("レターの種類が文書の種類と合いません")]
    WrongLetterKind,
    #[error("{0}")]
    Letter(LetterError),
    #[error("FHIR 文書を書き出せませんでした")]
    Serialize,
}

impl FhirError {
    /// A stable code for the IPC boundary and the logs.
    pub fn code(&self) -> &'static str {
        match self {
            FhirError::InstitutionNumber => "fhir_institution_number",
            FhirError::DocumentNumber => "fhir_document_number",
            FhirError::PatientNumber => "fhir_patient_number",
            FhirError::NotAPdf => "fhir_not_a_pdf",
            FhirError::WrongLetterKind => "fhir_wrong_letter_kind",
            FhirError::Letter(_) => "fhir_letter",
            FhirError::Serialize => "fhir_serialize",
        }
    }
}
