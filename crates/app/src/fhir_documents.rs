//! JP FHIR beside the PDF (issue 19, ADR 0037): an issued letter as a
//! JP-CLINS document Bundle carrying its PDF, and the current 人生会議 as a
//! FHIR Consent, made on request to be saved beside the PDF.
//!
//! What the letter model does not carry comes from here:
//!
//! - the **医療機関番号** is the clinic profile's 医療機関コード (10 digits),
//!   as it is now; without one, or with one the FHIR rules refuse, nothing
//!   is made and the error names the field (`institutionCode`) in
//!   医療機関情報;
//! - the **患者番号** is the patient's カルテ番号 (letters, digits, hyphens:
//!   what the clinic's other systems find the chart by) or, when the chart
//!   has none, the patient's id in this app (a UUID, 36 characters): stable
//!   for the patient and never shared by two. A カルテ番号 entered later
//!   replaces it in the documents made after;
//! - the **文書番号** is the issued letter's id (or the ACP version's) as 32
//!   hex digits: one per issued version (a correction is a new letter with
//!   its own id), unique in the clinic without a counter to keep, and the
//!   same each time that version is saved, so saving twice gives the same
//!   Bundle identifier (医療機関番号^西暦^文書番号) and the same JSON;
//! - the **issue time** is when the letter was issued (the ACP version
//!   recorded), in Japan's time.
//!
//! Making a document takes the patient's record out of the clinic: it is
//! audited as printed (`letter_fhir`, `acp_fhir`), once it is made, never
//! when it was refused.

use chrono::{DateTime, Utc};
use tsunagu_domain::Capability;
use tsunagu_domain::PatientFields;
use tsunagu_fhir::{ConsentInput, DocumentInput, FhirError, PatientIdentity};
use tsunagu_letters::Letter;
use tsunagu_store::{LetterKind, StoreError, StoredAcp};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};
use crate::patients::parse_id;

/// A FHIR document ready to save: the file name to offer (no patient data:
/// file names show up in recent-file lists) and the FHIR R4 JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhirDocument {
    pub file_name: String,
    pub json: String,
}

impl App {
    /// The issued letter as a JP-CLINS document Bundle (eReferral or
    /// eDischargeSummary) with its PDF inside, audited as printed.
    pub async fn letter_fhir(&self, letter_id: &str) -> Result<FhirDocument, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let id = parse_id(letter_id)?;
        let summary = self.store.letter(id).await?;
        let institution_number = self.institution_number().await?;
        let patient = self.store.patient(summary.patient_id).await?;
        let patient_number = patient_number(patient.id, &patient.fields);
        let (input, pdf) = self.store.letter_input_and_pdf(id).await?;
        let letter = Letter::from_json(&input).map_err(|_| internal("letter input"))?;
        let document_number = document_number(id);
        let json = tsunagu_fhir::document_bundle(&DocumentInput {
            letter: &letter,
            pdf: &pdf,
            institution_number: &institution_number,
            patient_number: &patient_number,
            document_number: &document_number,
            issued_at: in_japan(summary.issued_at),
        })
        .map_err(fhir_error)?;
        self.store
            .audit_letter_fhir(id, &self.actor(), self.clock.now())
            .await?;
        Ok(FhirDocument {
            file_name: letter_file_name(summary.kind, summary.issued_on, summary.version),
            json,
        })
    }

    /// Whether [`App::letter_fhir`] can make the letter's document: the
    /// same checks, without reading or auditing anything, so the desktop
    /// can say what is missing before the save dialog opens.
    pub async fn check_letter_fhir(&self, letter_id: &str) -> Result<(), AppError> {
        self.require(Capability::ReadClinicalText)?;
        let summary = self.store.letter(parse_id(letter_id)?).await?;
        self.institution_number().await?;
        self.store.patient(summary.patient_id).await?;
        Ok(())
    }

    /// The patient's current 人生会議 (the latest conversation's version)
    /// as a FHIR Consent of scope `adr`, audited as printed.
    pub async fn acp_fhir(&self, patient_id: &str) -> Result<FhirDocument, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let id = parse_id(patient_id)?;
        let patient = self.store.patient(id).await?;
        let current = self.current_acp(id).await?;
        let institution_number = self.institution_number().await?;
        let clinic_name = self
            .store
            .clinic_profile()
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        let number = patient_number(patient.id, &patient.fields);
        let p = &patient.fields;
        let record_number = document_number(current.id);
        let json = tsunagu_fhir::acp_consent(&ConsentInput {
            record: &current.record,
            patient: PatientIdentity {
                number: &number,
                name: &p.name,
                kana: &p.kana,
                sex: p.sex.code(),
                birth_date: p.birth_date,
            },
            institution_number: &institution_number,
            clinic_name: &clinic_name,
            record_number: &record_number,
            recorded_at: in_japan(current.recorded_at),
        })
        .map_err(fhir_error)?;
        self.store
            .audit_acp_fhir(current.id, &self.actor(), self.clock.now())
            .await?;
        Ok(FhirDocument {
            file_name: format!("人生会議_{}.json", current.record.held_on),
            json,
        })
    }

    /// Whether [`App::acp_fhir`] can make the patient's Consent, without
    /// reading the wishes out or auditing anything.
    pub async fn check_acp_fhir(&self, patient_id: &str) -> Result<(), AppError> {
        self.require(Capability::ReadClinicalText)?;
        let id = parse_id(patient_id)?;
        self.store.patient(id).await?;
        self.current_acp(id).await?;
        self.institution_number().await?;
        Ok(())
    }

    async fn current_acp(&self, patient_id: Uuid) -> Result<StoredAcp, AppError> {
        self.store
            .acp_records(patient_id)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::Validation,
                    "人生会議の記録がまだありません。話し合いの内容を記録してから保存してください。",
                )
            })
    }

    /// The clinic's 医療機関番号 as the FHIR documents need it, or the
    /// reason there is none, on 医療機関情報's field.
    async fn institution_number(&self) -> Result<String, AppError> {
        let code = self
            .store
            .clinic_profile()
            .await?
            .and_then(|c| c.institution_code)
            .unwrap_or_default();
        if code.is_empty() {
            return Err(institution_error(
                "医療機関コード（10桁）が登録されていないため、FHIR文書を作れません。\
                 「医療機関情報」で医療機関コードを入力してください。",
            ));
        }
        tsunagu_fhir::check_institution_number(&code).map_err(fhir_error)?;
        Ok(code)
    }
}

/// The 患者番号: the カルテ番号, or the patient's id when the chart has none.
fn patient_number(id: Uuid, fields: &PatientFields) -> String {
    match &fields.chart_number {
        Some(number) if !number.is_empty() => number.clone(),
        _ => id.hyphenated().to_string(),
    }
}

/// The 文書番号: the issued version's id, 32 hex digits.
fn document_number(id: Uuid) -> String {
    id.simple().to_string()
}

fn in_japan(at: DateTime<Utc>) -> DateTime<chrono::FixedOffset> {
    at.with_timezone(&tsunagu_domain::backup::japan())
}

/// Beside the PDF's name: 診療情報提供書_2026-05-12(_第2版).json.
fn letter_file_name(kind: LetterKind, issued_on: chrono::NaiveDate, version: u32) -> String {
    let kind = match kind {
        LetterKind::Referral => "診療情報提供書",
        LetterKind::Discharge => "退院時サマリー",
    };
    let version = if version > 1 {
        format!("_第{version}版")
    } else {
        String::new()
    };
    format!("{kind}_{issued_on}{version}.json")
}

/// The message on the 医療機関コード field, and above the screen that
/// asked (which has no such field).
fn institution_error(message: &str) -> AppError {
    AppError {
        code: ErrorCode::Validation,
        message: message.to_string(),
        fields: vec![FieldMessage::new("institutionCode", message)],
    }
}

/// The FHIR crate's refusals, as the user can act on them. No patient data:
/// the letter's own check is summarised, never quoted.
fn fhir_error(e: FhirError) -> AppError {
    match e {
        FhirError::InstitutionNumber => institution_error(
            "登録されている医療機関コードではFHIR文書を作れません。\
             医療機関コードは10桁（都道府県番号01〜47・点数表番号1〜3・医療機関コード7桁）です。\
             「医療機関情報」で確認してください。",
        ),
        FhirError::PatientNumber => {
            let message = "この患者のカルテ番号ではFHIR文書を作れません。\
                           「患者情報」でカルテ番号（半角英数字と「-」）を確認してください。";
            AppError {
                code: ErrorCode::Validation,
                message: message.to_string(),
                fields: vec![FieldMessage::new("chartNumber", message)],
            }
        }
        FhirError::Letter(_) => AppError::new(
            ErrorCode::Validation,
            "この文書の内容からFHIR文書を作れませんでした。\
             文書を訂正して発行し直してから保存してください。",
        ),
        FhirError::DocumentNumber
        | FhirError::NotAPdf
        | FhirError::WrongLetterKind
        | FhirError::Serialize => internal("fhir document"),
    }
}

fn internal(what: &'static str) -> AppError {
    AppError::from(StoreError::Corrupt(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_are_what_the_crate_takes() {
        let id = Uuid::now_v7();
        let number = document_number(id);
        assert_eq!(number.len(), 32);
        assert!(tsunagu_fhir::clins_identifier("1311234567", 2026, &number).is_ok());
    }

    #[test]
    fn file_names_follow_the_pdf() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        assert_eq!(
            letter_file_name(LetterKind::Referral, day, 1),
            "診療情報提供書_2026-05-12.json"
        );
        assert_eq!(
            letter_file_name(LetterKind::Discharge, day, 2),
            "退院時サマリー_2026-05-12_第2版.json"
        );
    }

    #[test]
    fn every_refusal_is_in_japanese_and_names_no_one() {
        for e in [
            FhirError::InstitutionNumber,
            FhirError::PatientNumber,
            FhirError::DocumentNumber,
            FhirError::NotAPdf,
            FhirError::WrongLetterKind,
            FhirError::Serialize,
        ] {
            let app = fhir_error(e);
            assert!(!app.message.is_ascii(), "{}", app.message);
        }
        assert_eq!(
            fhir_error(FhirError::InstitutionNumber).fields[0].field,
            "institutionCode"
        );
    }
}
