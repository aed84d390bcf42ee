//! Writing letters: drafts saved as the user types, issuing (render, hash,
//! store, open the referral episode), reprinting and correcting.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tsunagu_domain::Capability;
use tsunagu_domain::lab_results::{
    LabCsvError, LabResult, LabRowInput, MAX_LAB_ROWS, check_lab_row, parse_lab_csv,
};
use tsunagu_domain::{ClinicProfile, EventDetails, PatientFields, TrackingCode};
use tsunagu_letters::{
    Addressee, DischargeLetter, Field, Header, Letter, LetterError, Patient, ReferralLetter,
    Sender, render_pdf,
};
use tsunagu_store::{
    Destination, LetterDraftRecord, LetterKind, LetterSummary, NewLetter, ReferralLink, StoreError,
};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage, date_field};
use crate::patients::parse_id;

/// A draft holds at most this many characters in all: far beyond any real
/// letter (the 50,000-character section the issue names still fits) and a
/// guard against pasting a whole file by mistake.
const DRAFT_MAX_CHARS: usize = 200_000;
/// Attempts at a fresh tracking code if one is already taken (40 random
/// bits: a clash is a once-in-a-lifetime event, but it must not fail).
const TRACKING_CODE_ATTEMPTS: usize = 3;

/// What the user has typed into the letter form, kept as typed (dates too)
/// so that a draft saves whatever state it is in. Lists are one item a line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts-bindings", derive(ts_rs::TS))]
pub struct LetterDraftContent {
    pub to_institution: String,
    pub to_department: String,
    pub to_doctor: String,
    /// 御侍史 / 御机下; empty chooses by whether a doctor is named.
    pub to_honorific: String,
    // 診療情報提供書
    pub purpose: String,
    pub diagnoses: String,
    pub history: String,
    pub course: String,
    pub treatment: String,
    pub prescriptions: String,
    pub remarks: String,
    pub enclosures: String,
    // 退院時サマリー
    pub admitted_on: String,
    pub discharged_on: String,
    pub reason: String,
    pub admission_diagnoses: String,
    pub chief_complaint: String,
    pub present_illness: String,
    pub hospital_course: String,
    pub discharge_diagnoses: String,
    pub discharge_prescriptions: String,
    pub plan: String,
    pub contact: String,
    /// 検査結果, typed or imported from a CSV; printed as a table in
    /// 症状経過及び検査結果 (入院中経過 on a discharge letter).
    pub lab_results: Vec<LabRowDraft>,
}

/// One row of the 検査結果 table as typed, kept as text until the letter
/// is issued (a draft saves whatever state it is in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts-bindings", derive(ts_rs::TS))]
pub struct LabRowDraft {
    pub item: String,
    pub value: String,
    pub unit: String,
    pub reference_range: String,
    /// 検査日 as typed, e.g. 2026-05-08.
    pub taken_on: String,
}

impl LabRowDraft {
    fn of(result: &LabResult) -> LabRowDraft {
        LabRowDraft {
            item: result.item.clone(),
            value: result.value.clone(),
            unit: result.unit.clone(),
            reference_range: result.reference_range.clone(),
            taken_on: result.taken_on.format("%Y-%m-%d").to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        [
            &self.item,
            &self.value,
            &self.unit,
            &self.reference_range,
            &self.taken_on,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

impl LetterDraftContent {
    fn chars(&self) -> usize {
        let json = serde_json::to_value(self).unwrap_or_default();
        let texts: usize = json
            .as_object()
            .map(|o| {
                o.values()
                    .filter_map(|v| v.as_str())
                    .map(|s| s.chars().count())
                    .sum()
            })
            .unwrap_or(0);
        let rows: usize = self
            .lab_results
            .iter()
            .map(|r| {
                [&r.item, &r.value, &r.unit, &r.reference_range, &r.taken_on]
                    .iter()
                    .map(|s| s.chars().count())
                    .sum::<usize>()
            })
            .sum();
        texts + rows
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDraftView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: LetterKind,
    pub content: LetterDraftContent,
    /// Set when this draft corrects an issued letter.
    pub supersedes: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterView {
    pub summary: LetterSummary,
    /// e.g. 令和8年5月12日
    pub issued_on_wareki: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientLetters {
    pub drafts: Vec<LetterDraftView>,
    pub letters: Vec<LetterView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destinations {
    pub recent: Vec<Destination>,
    pub favourites: Vec<Destination>,
    /// Hospitals registered on the regional server (synced down): a
    /// referral to one of these names reaches its liaison office directly.
    pub registered: Vec<String>,
}

impl App {
    /// A new, empty letter for a patient.
    pub async fn start_letter(
        &self,
        patient_id: &str,
        kind: LetterKind,
    ) -> Result<LetterDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        let patient_id = parse_id(patient_id)?;
        self.store.patient(patient_id).await?;
        let now = self.clock.now();
        let record = LetterDraftRecord {
            id: tsunagu_domain::new_id(),
            patient_id,
            kind,
            content: to_json(&LetterDraftContent::default())?,
            supersedes: None,
            created_at: now,
            updated_at: now,
        };
        self.store.save_letter_draft(&record).await?;
        draft_view(record)
    }

    /// Saves what the user typed, valid or not; nothing is checked but size.
    pub async fn save_letter_draft(
        &self,
        draft_id: &str,
        content: &LetterDraftContent,
    ) -> Result<LetterDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        if content.chars() > DRAFT_MAX_CHARS {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "下書きが長すぎるため保存できません（全体で{DRAFT_MAX_CHARS}文字まで）。\
                     直前に保存した内容は残っています。貼り付けた文章を短くしてください。"
                ),
            ));
        }
        if content.lab_results.len() > MAX_LAB_ROWS {
            return Err(AppError::field(
                LAB_RESULTS_KEY,
                format!("検査結果は{MAX_LAB_ROWS}行までです。"),
            ));
        }
        let mut record = self.store.letter_draft(parse_id(draft_id)?).await?;
        record.content = to_json(content)?;
        record.updated_at = self.clock.now();
        self.store.save_letter_draft(&record).await?;
        draft_view(record)
    }

    /// Adds the results of a lab system's CSV export (UTF-8 or Shift_JIS)
    /// under the draft's rows. A file with any bad line is refused whole,
    /// each line's problem a field message, and the draft is unchanged.
    pub async fn import_lab_csv(
        &self,
        draft_id: &str,
        bytes: &[u8],
    ) -> Result<LetterDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        let record = self.store.letter_draft(parse_id(draft_id)?).await?;
        let mut content: LetterDraftContent =
            serde_json::from_str(&record.content).map_err(|_| internal("letter draft JSON"))?;
        let results = parse_lab_csv(bytes).map_err(|errors| lab_csv_error(&errors))?;
        content.lab_results.retain(|row| !row.is_blank());
        if content.lab_results.len() + results.len() > MAX_LAB_ROWS {
            return Err(AppError::field(
                LAB_RESULTS_KEY,
                format!(
                    "検査結果は{MAX_LAB_ROWS}行までです（入力済み{}行、CSV {}行）。\
                     不要な行を削除してから読み込んでください。",
                    content.lab_results.len(),
                    results.len()
                ),
            ));
        }
        content
            .lab_results
            .extend(results.iter().map(LabRowDraft::of));
        self.save_letter_draft(draft_id, &content).await
    }

    pub async fn letter_draft(&self, draft_id: &str) -> Result<LetterDraftView, AppError> {
        self.require(Capability::ReadClinicalText)?;
        draft_view(self.store.letter_draft(parse_id(draft_id)?).await?)
    }

    pub async fn discard_letter_draft(&self, draft_id: &str) -> Result<(), AppError> {
        self.require(Capability::IssueLetters)?;
        Ok(self.store.delete_letter_draft(parse_id(draft_id)?).await?)
    }

    pub async fn patient_letters(&self, patient_id: &str) -> Result<PatientLetters, AppError> {
        let patient_id = parse_id(patient_id)?;
        let drafts = self
            .store
            .letter_drafts(patient_id)
            .await?
            .into_iter()
            .map(draft_view)
            .collect::<Result<_, _>>()?;
        let letters = self
            .store
            .letters_for_patient(patient_id)
            .await?
            .into_iter()
            .map(letter_view)
            .collect();
        Ok(PatientLetters { drafts, letters })
    }

    /// Renders the draft as a PDF, stores it with its hash and the input it
    /// was made from, opens the referral episode (紹介済) for a referral
    /// letter, and removes the draft — all or nothing.
    pub async fn issue_letter(&self, draft_id: &str) -> Result<LetterView, AppError> {
        self.require(Capability::IssueLetters)?;
        let draft = self.store.letter_draft(parse_id(draft_id)?).await?;
        let content: LetterDraftContent =
            serde_json::from_str(&draft.content).map_err(|_| internal("letter draft JSON"))?;
        let clinic = self.store.clinic_profile().await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "医療機関情報が登録されていません。「医療機関情報」から登録してください。",
            )
        })?;
        let patient = self.store.patient(draft.patient_id).await?.fields;
        let previous = match draft.supersedes {
            Some(id) => Some(self.store.letter(id).await?),
            None => None,
        };
        let version = previous.as_ref().map_or(1, |p| p.version + 1);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (tracking, referral) = match (&previous, draft.kind) {
                (_, LetterKind::Discharge) => (None, ReferralLink::None),
                (Some(p), LetterKind::Referral) => match (&p.tracking_code, p.referral_id) {
                    (Some(code), Some(id)) => (Some(code.clone()), ReferralLink::Existing(id)),
                    _ => return Err(internal("corrected referral without its episode")),
                },
                (None, LetterKind::Referral) => {
                    let code = TrackingCode::from_random_bits(rand::random()).to_string();
                    let sent = EventDetails::Sent {
                        date: self.clock.today(),
                        hospital: content.to_institution.trim().to_string(),
                    };
                    let link = ReferralLink::New {
                        id: tsunagu_domain::new_id(),
                        tracking_code: code.clone(),
                        sent_details: sent,
                        destination: self
                            .store
                            .registered_hospital_named(content.to_institution.trim())
                            .await?,
                    };
                    (Some(code), link)
                }
            };
            let header = Header {
                issued_on: self.clock.today(),
                to: Addressee {
                    institution: content.to_institution.trim().to_string(),
                    department: content.to_department.trim().to_string(),
                    doctor: content.to_doctor.trim().to_string(),
                    honorific: content.to_honorific.trim().to_string(),
                },
                from: sender(&clinic),
                patient: letter_patient(&patient),
                version,
            };
            let letter = build_letter(draft.kind, header, &content, tracking)?;
            let pdf = render_pdf(&letter).map_err(letter_error)?;
            let new = NewLetter {
                id: tsunagu_domain::new_id(),
                patient_id: draft.patient_id,
                kind: draft.kind,
                version,
                supersedes: draft.supersedes,
                referral,
                to: Destination {
                    institution: letter.header().to.institution.clone(),
                    department: letter.header().to.department.clone(),
                    doctor: letter.header().to.doctor.clone(),
                },
                draft: draft.content.clone(),
                input: to_json(&letter)?,
                sha256: hex::encode(Sha256::digest(&pdf)),
                pdf,
                issued_on: letter.header().issued_on,
            };
            match self
                .store
                .issue_letter(&new, draft.id, &self.actor(), self.clock.now())
                .await
            {
                Ok(summary) => return Ok(letter_view(summary)),
                Err(StoreError::DuplicateTrackingCode) if attempts < TRACKING_CODE_ATTEMPTS => {
                    continue;
                }
                Err(StoreError::AlreadyIssued) => return Err(already_issued()),
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The issued PDF, exactly as stored (recorded in the audit log).
    pub async fn letter_pdf(&self, letter_id: &str) -> Result<Vec<u8>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        Ok(self
            .store
            .letter_pdf(parse_id(letter_id)?, &self.actor(), self.clock.now())
            .await?)
    }

    pub async fn letter(&self, letter_id: &str) -> Result<LetterView, AppError> {
        Ok(letter_view(self.store.letter(parse_id(letter_id)?).await?))
    }

    /// Starts a correction: a draft holding what the issued letter said,
    /// which will be issued as its next version.
    pub async fn correct_letter(&self, letter_id: &str) -> Result<LetterDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        let letter = self.store.letter(parse_id(letter_id)?).await?;
        if letter.superseded_by.is_some() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "この文書は既に訂正されています。最新の版を訂正してください。",
            ));
        }
        let now = self.clock.now();
        let record = LetterDraftRecord {
            id: tsunagu_domain::new_id(),
            patient_id: letter.patient_id,
            kind: letter.kind,
            content: self.store.letter_draft_content(letter.id).await?,
            supersedes: Some(letter.id),
            created_at: now,
            updated_at: now,
        };
        self.store.save_letter_draft(&record).await?;
        draft_view(record)
    }

    pub async fn letter_destinations(&self) -> Result<Destinations, AppError> {
        let registered = self
            .store
            .regional_organisations()
            .await?
            .into_iter()
            .filter(|(_, kind, _)| kind == "hospital")
            .map(|(_, _, name)| name)
            .collect();
        Ok(Destinations {
            recent: self.store.recent_destinations(10).await?,
            favourites: self.store.favourite_destinations().await?,
            registered,
        })
    }

    pub async fn set_favourite_destination(
        &self,
        to: &Destination,
        favourite: bool,
    ) -> Result<Destinations, AppError> {
        if to.institution.trim().is_empty() {
            return Err(AppError::field(
                "toInstitution",
                "紹介先医療機関名を入力してからお気に入りに追加してください。",
            ));
        }
        self.store
            .set_favourite_destination(to, favourite, self.clock.now())
            .await?;
        self.letter_destinations().await
    }
}

/// The draft's field key for the 検査結果 table.
const LAB_RESULTS_KEY: &str = "labResults";

/// A refused CSV: a message above the form, each problem (named by the
/// file's line) under the table.
fn lab_csv_error(errors: &[LabCsvError]) -> AppError {
    AppError {
        code: ErrorCode::Validation,
        message: "検査結果の CSV を読み込めませんでした。入力済みの内容は変わっていません。"
            .to_string(),
        fields: errors
            .iter()
            .map(|e| FieldMessage::new(LAB_RESULTS_KEY, e.to_string()))
            .collect(),
    }
}

/// The typed rows checked by the domain's rule; blank rows (added, never
/// filled) are left out. Every row's problems are named by its row.
fn lab_results(rows: &[LabRowDraft]) -> Result<Vec<LabResult>, AppError> {
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        let checked = check_lab_row(LabRowInput {
            item: &row.item,
            value: &row.value,
            unit: &row.unit,
            reference_range: &row.reference_range,
            taken_on: &row.taken_on,
        });
        match checked {
            Ok(result) => results.push(result),
            Err(problems) => errors.extend(problems.into_iter().map(|p| {
                FieldMessage::new(
                    LAB_RESULTS_KEY,
                    format!("検査結果の{}行目：{}。", i + 1, p.message),
                )
            })),
        }
    }
    if errors.is_empty() {
        Ok(results)
    } else {
        Err(AppError::validation(errors))
    }
}

fn build_letter(
    kind: LetterKind,
    header: Header,
    c: &LetterDraftContent,
    tracking_code: Option<String>,
) -> Result<Letter, AppError> {
    let lab_results = lab_results(&c.lab_results)?;
    let letter = match kind {
        LetterKind::Referral => Letter::Referral(ReferralLetter {
            header,
            tracking_code,
            purpose: c.purpose.trim().to_string(),
            diagnoses: lines(&c.diagnoses),
            history: c.history.trim_end().to_string(),
            course: c.course.trim_end().to_string(),
            lab_results,
            treatment: c.treatment.trim_end().to_string(),
            prescriptions: lines(&c.prescriptions),
            remarks: c.remarks.trim_end().to_string(),
            enclosures: lines(&c.enclosures),
        }),
        LetterKind::Discharge => {
            let mut errors = Vec::new();
            let admitted = date_field(&c.admitted_on, "admittedOn", "入院日", &mut errors);
            let discharged = date_field(&c.discharged_on, "dischargedOn", "退院日", &mut errors);
            let (Some(admitted_on), Some(discharged_on)) = (admitted, discharged) else {
                return Err(AppError::validation(errors));
            };
            Letter::Discharge(DischargeLetter {
                header,
                admitted_on,
                discharged_on,
                reason: c.reason.trim().to_string(),
                admission_diagnoses: lines(&c.admission_diagnoses),
                chief_complaint: c.chief_complaint.trim().to_string(),
                present_illness: c.present_illness.trim_end().to_string(),
                hospital_course: c.hospital_course.trim_end().to_string(),
                lab_results,
                discharge_diagnoses: lines(&c.discharge_diagnoses),
                discharge_prescriptions: lines(&c.discharge_prescriptions),
                plan: c.plan.trim_end().to_string(),
                contact: c.contact.trim().to_string(),
            })
        }
    };
    letter.check().map_err(letter_error)?;
    Ok(letter)
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn sender(clinic: &ClinicProfile) -> Sender {
    Sender {
        clinic: clinic.name.clone(),
        postal_code: clinic.postal_code.clone(),
        address: clinic.address.clone(),
        phone: clinic.phone.clone(),
        fax: clinic.fax.clone(),
        doctor: clinic.doctor_name.clone(),
    }
}

pub(crate) fn letter_patient(p: &PatientFields) -> Patient {
    Patient {
        name: p.name.clone(),
        kana: p.kana.clone(),
        sex: p.sex.code().to_string(),
        birth_date: p.birth_date,
    }
}

/// The letter's own checks as form errors: each field named where the user
/// can fix it, and the whole message above the form.
pub(crate) fn letter_error(e: LetterError) -> AppError {
    let fields = match &e {
        LetterError::Missing(missing) => missing
            .iter()
            .map(|f| FieldMessage {
                field: f.key().to_string(),
                message: missing_message(*f),
            })
            .collect(),
        LetterError::UnsupportedCharacters(texts) => texts
            .iter()
            .map(|t| FieldMessage {
                field: t.field.key().to_string(),
                message: format!(
                    "「{}」は印刷できない文字です。別の字に置き換えてください（例：𠮷→吉）。",
                    t.characters
                ),
            })
            .collect(),
        LetterError::DischargeBeforeAdmission => vec![FieldMessage {
            field: Field::StayDates.key().to_string(),
            message: "退院日が入院日より前になっています。".to_string(),
        }],
        LetterError::LabResult { .. } | LetterError::TooManyLabResults => vec![FieldMessage {
            field: LAB_RESULTS_KEY.to_string(),
            message: format!("{e}。"),
        }],
        LetterError::BadTrackingCode | LetterError::Json { .. } => {
            return internal("letter input");
        }
    };
    AppError {
        code: ErrorCode::Validation,
        message: format!("{e}。"),
        fields,
    }
}

fn missing_message(field: Field) -> String {
    match field {
        Field::FromClinic | Field::FromDoctor => {
            "医療機関情報（医療機関名・医師名）を登録してください。".to_string()
        }
        Field::PatientName => "患者の氏名が登録されていません。".to_string(),
        other => format!("{}を入力してください。", other.label()),
    }
}

fn already_issued() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "この下書きは既に発行済みです（別の画面で発行されたか、二重に押されました）。\
         文書の一覧を確認してください。",
    )
}

fn internal(what: &'static str) -> AppError {
    AppError::from(StoreError::Corrupt(what))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| internal("JSON"))
}

fn draft_view(record: LetterDraftRecord) -> Result<LetterDraftView, AppError> {
    let content = serde_json::from_str(&record.content).map_err(|_| internal("letter draft"))?;
    Ok(LetterDraftView {
        id: record.id,
        patient_id: record.patient_id,
        kind: record.kind,
        content,
        supersedes: record.supersedes,
        updated_at: record.updated_at,
    })
}

fn letter_view(summary: LetterSummary) -> LetterView {
    LetterView {
        issued_on_wareki: tsunagu_domain::format_wareki(summary.issued_on),
        summary,
    }
}
