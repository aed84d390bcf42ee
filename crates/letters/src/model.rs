//! What a letter says: the input the app (or the command-line renderer)
//! gives, as JSON-friendly types, and the checks made before anything is
//! issued.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tsunagu_domain::TrackingCode;
use tsunagu_domain::lab_results::{LabResult, LabRowInput, MAX_LAB_ROWS, check_lab_row};
use tsunagu_domain::nursing_order::NursingOrderField;

use crate::emergency_sheet::SheetField;
use crate::fonts::FontKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Letter {
    /// 診療情報提供書 (別紙様式11).
    Referral(ReferralLetter),
    /// 退院時の診療情報提供書 (退院時サマリー).
    Discharge(DischargeLetter),
}

/// What every letter carries above its sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub issued_on: NaiveDate,
    pub to: Addressee,
    pub from: Sender,
    pub patient: Patient,
    /// 1 for the first issue; a correction is a new version of the letter.
    #[serde(default = "first_version")]
    pub version: u32,
}

fn first_version() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Addressee {
    /// 医療機関名
    pub institution: String,
    /// 診療科
    #[serde(default)]
    pub department: String,
    /// 医師名; empty → 「担当医」.
    #[serde(default)]
    pub doctor: String,
    /// 脇付: 御侍史 or 御机下; empty → 御侍史 for a named doctor, 御机下
    /// otherwise.
    #[serde(default)]
    pub honorific: String,
}

impl Addressee {
    /// 「循環器内科　担当医　先生　御机下」
    pub fn salutation(&self) -> String {
        let doctor = self.doctor.trim();
        let honorific = match (self.honorific.trim(), doctor.is_empty()) {
            ("", false) => "御侍史",
            ("", true) => "御机下",
            (given, _) => given,
        };
        let who = if doctor.is_empty() {
            "担当医"
        } else {
            doctor
        };
        let department = self.department.trim();
        let mut parts = Vec::new();
        if !department.is_empty() {
            parts.push(department);
        }
        parts.extend([who, "先生", honorific]);
        parts.join("　")
    }
}

/// The clinic, from its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Sender {
    pub clinic: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    pub doctor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    pub name: String,
    pub kana: String,
    /// "male", "female" or "other", as in the patient record.
    pub sex: String,
    pub birth_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralLetter {
    #[serde(flatten)]
    pub header: Header,
    /// Printed with its QR code for the hospital's liaison office; absent on
    /// a draft preview.
    #[serde(default)]
    pub tracking_code: Option<String>,
    /// 紹介目的
    pub purpose: String,
    /// 傷病名, one per line.
    pub diagnoses: Vec<String>,
    /// 既往歴及び家族歴
    #[serde(default)]
    pub history: String,
    /// 症状経過及び検査結果
    #[serde(default)]
    pub course: String,
    /// 検査結果: a table in 症状経過及び検査結果, or on 別紙 pages when it
    /// does not fit there (absent in letters stored before issue 19).
    #[serde(default)]
    pub lab_results: Vec<LabResult>,
    /// 治療経過
    #[serde(default)]
    pub treatment: String,
    /// 現在の処方, one per line.
    #[serde(default)]
    pub prescriptions: Vec<String>,
    /// 備考
    #[serde(default)]
    pub remarks: String,
    /// 添付資料
    #[serde(default)]
    pub enclosures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DischargeLetter {
    #[serde(flatten)]
    pub header: Header,
    /// 入院期間
    pub admitted_on: NaiveDate,
    pub discharged_on: NaiveDate,
    /// 入院理由
    #[serde(default)]
    pub reason: String,
    /// 入院時診断
    #[serde(default)]
    pub admission_diagnoses: Vec<String>,
    /// 主訴
    #[serde(default)]
    pub chief_complaint: String,
    /// 現病歴
    #[serde(default)]
    pub present_illness: String,
    /// 入院中経過
    #[serde(default)]
    pub hospital_course: String,
    /// 検査結果: a table in 入院中経過, or on 別紙 pages.
    #[serde(default)]
    pub lab_results: Vec<LabResult>,
    /// 退院時診断
    pub discharge_diagnoses: Vec<String>,
    /// 退院時処方
    #[serde(default)]
    pub discharge_prescriptions: Vec<String>,
    /// 退院後の方針: follow-up, care needs, services arranged.
    pub plan: String,
    /// 連絡先 (who to call about this patient)
    #[serde(default)]
    pub contact: String,
}

/// A field of a letter, for messages: its Japanese label, and the camelCase
/// key of the app's draft form field that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    ToInstitution,
    ToDepartment,
    ToDoctor,
    FromClinic,
    FromAddress,
    FromDoctor,
    PatientName,
    PatientKana,
    Purpose,
    Diagnoses,
    History,
    Course,
    /// 検査結果, the table under 症状経過及び検査結果 (or 入院中経過).
    LabResults,
    Treatment,
    Prescriptions,
    Remarks,
    Enclosures,
    StayDates,
    Reason,
    AdmissionDiagnoses,
    ChiefComplaint,
    PresentIllness,
    HospitalCourse,
    DischargeDiagnoses,
    DischargePrescriptions,
    Plan,
    Contact,
    /// The consent form's: the regional home-care desk it names.
    DeskName,
    /// The consent form's: with whom the patient agreed to share (one at
    /// least).
    ShareWith,
    ObtainedBy,
    RecordId,
    /// The consent form's: a hospital chosen for 事前登録.
    PreregisteredWith,
    /// The recovery sheet's: the passphrase printed on it.
    Passphrase,
    /// The 訪問看護指示書's: the patient's address and phone, from the
    /// patient's record.
    PatientAddress,
    /// A field of the 訪問看護指示書's own, as the domain names it.
    NursingOrder(NursingOrderField),
    /// A field of the emergency sheet's (救急医療情報) own.
    EmergencySheet(SheetField),
}

impl Field {
    pub fn label(self) -> &'static str {
        use Field::*;
        match self {
            ToInstitution => "紹介先医療機関名",
            ToDepartment => "診療科",
            ToDoctor => "紹介先医師名",
            FromClinic => "医療機関名（紹介元）",
            FromAddress => "住所（紹介元）",
            FromDoctor => "医師名（紹介元）",
            PatientName => "患者氏名",
            PatientKana => "ふりがな",
            Purpose => "紹介目的",
            Diagnoses => "傷病名",
            History => "既往歴及び家族歴",
            Course => "症状経過及び検査結果",
            LabResults => "検査結果",
            Treatment => "治療経過",
            Prescriptions => "現在の処方",
            Remarks => "備考",
            Enclosures => "添付資料",
            StayDates => "入院期間",
            Reason => "入院理由",
            AdmissionDiagnoses => "入院時診断",
            ChiefComplaint => "主訴",
            PresentIllness => "現病歴",
            HospitalCourse => "入院中経過",
            DischargeDiagnoses => "退院時診断",
            DischargePrescriptions => "退院時処方",
            Plan => "退院後の方針",
            Contact => "連絡先",
            DeskName => "在宅医療相談窓口の名称",
            ShareWith => "共有先",
            ObtainedBy => "説明者",
            RecordId => "同意記録番号",
            PreregisteredWith => "事前登録する病院",
            Passphrase => "復旧用パスフレーズ",
            PatientAddress => "患者住所・電話",
            NursingOrder(field) => field.label_ja(),
            EmergencySheet(field) => field.label_ja(),
        }
    }

    /// The draft form's field key (clinic and patient fields come from
    /// their own records and have none of their own there); for the consent
    /// form's own fields, the consent form's.
    pub fn key(self) -> &'static str {
        use Field::*;
        match self {
            ToInstitution => "toInstitution",
            ToDepartment => "toDepartment",
            ToDoctor => "toDoctor",
            FromClinic | FromAddress | FromDoctor => "clinic",
            PatientName | PatientKana | PatientAddress => "patient",
            Purpose => "purpose",
            Diagnoses => "diagnoses",
            History => "history",
            Course => "course",
            LabResults => "labResults",
            Treatment => "treatment",
            Prescriptions => "prescriptions",
            Remarks => "remarks",
            Enclosures => "enclosures",
            StayDates => "dischargedOn",
            Reason => "reason",
            AdmissionDiagnoses => "admissionDiagnoses",
            ChiefComplaint => "chiefComplaint",
            PresentIllness => "presentIllness",
            HospitalCourse => "hospitalCourse",
            DischargeDiagnoses => "dischargeDiagnoses",
            DischargePrescriptions => "dischargePrescriptions",
            Plan => "plan",
            Contact => "contact",
            DeskName => "deskName",
            ShareWith => "scope",
            ObtainedBy => "obtainedBy",
            RecordId => "recordId",
            PreregisteredWith => "preregisteredWith",
            Passphrase => "passphrase",
            NursingOrder(field) => field.key(),
            EmergencySheet(field) => field.key(),
        }
    }
}

impl Letter {
    pub fn header(&self) -> &Header {
        match self {
            Letter::Referral(l) => &l.header,
            Letter::Discharge(l) => &l.header,
        }
    }

    /// Parses the JSON the command-line renderer reads.
    pub fn from_json(json: &str) -> Result<Letter, LetterError> {
        serde_json::from_str(json).map_err(|e| LetterError::Json {
            line: e.line(),
            column: e.column(),
            reason: json_reason(&e),
        })
    }

    /// Everything that must hold before the letter is issued: the required
    /// fields, dates that make sense, and characters the font can draw.
    pub fn check(&self) -> Result<(), LetterError> {
        let header = self.header();
        let mut missing = Vec::new();
        require(&mut missing, Field::ToInstitution, &header.to.institution);
        require(&mut missing, Field::PatientName, &header.patient.name);
        require(&mut missing, Field::FromClinic, &header.from.clinic);
        require(&mut missing, Field::FromDoctor, &header.from.doctor);
        match self {
            Letter::Referral(l) => {
                require(&mut missing, Field::Purpose, &l.purpose);
                require_lines(&mut missing, Field::Diagnoses, &l.diagnoses);
            }
            Letter::Discharge(l) => {
                require_lines(
                    &mut missing,
                    Field::DischargeDiagnoses,
                    &l.discharge_diagnoses,
                );
                require(&mut missing, Field::Plan, &l.plan);
            }
        }
        if !missing.is_empty() {
            return Err(LetterError::Missing(missing));
        }
        if let Letter::Discharge(l) = self
            && l.discharged_on < l.admitted_on
        {
            return Err(LetterError::DischargeBeforeAdmission);
        }
        if let Letter::Referral(l) = self
            && let Some(code) = &l.tracking_code
        {
            TrackingCode::parse(code).map_err(|_| LetterError::BadTrackingCode)?;
        }
        check_lab_results(self.lab_results())?;
        let unsupported = self.unsupported_characters();
        if !unsupported.is_empty() {
            return Err(LetterError::UnsupportedCharacters(unsupported));
        }
        Ok(())
    }

    /// The lab results the letter carries.
    pub fn lab_results(&self) -> &[LabResult] {
        match self {
            Letter::Referral(l) => &l.lab_results,
            Letter::Discharge(l) => &l.lab_results,
        }
    }

    /// Each field that holds characters the bundled fonts cannot draw, with
    /// those characters: the user replaces them (e.g. 𠮷 → 吉) before issuing.
    pub fn unsupported_characters(&self) -> Vec<UnsupportedText> {
        unsupported_in(self.texts())
    }

    /// Every text the letter prints, with its field.
    fn texts(&self) -> Vec<(Field, String)> {
        use Field::*;
        let h = self.header();
        let mut out = vec![
            (ToInstitution, h.to.institution.clone()),
            (ToDepartment, h.to.department.clone()),
            (ToDoctor, h.to.doctor.clone() + &h.to.honorific),
            (FromClinic, h.from.clinic.clone()),
            (FromAddress, h.from.address.clone()),
            (FromDoctor, h.from.doctor.clone()),
            (PatientName, h.patient.name.clone()),
            (PatientKana, h.patient.kana.clone()),
        ];
        match self {
            Letter::Referral(l) => out.extend([
                (Purpose, l.purpose.clone()),
                (Diagnoses, l.diagnoses.join("\n")),
                (History, l.history.clone()),
                (Course, l.course.clone()),
                (LabResults, lab_text(&l.lab_results)),
                (Treatment, l.treatment.clone()),
                (Prescriptions, l.prescriptions.join("\n")),
                (Remarks, l.remarks.clone()),
                (Enclosures, l.enclosures.join("\n")),
            ]),
            Letter::Discharge(l) => out.extend([
                (Reason, l.reason.clone()),
                (AdmissionDiagnoses, l.admission_diagnoses.join("\n")),
                (ChiefComplaint, l.chief_complaint.clone()),
                (PresentIllness, l.present_illness.clone()),
                (HospitalCourse, l.hospital_course.clone()),
                (LabResults, lab_text(&l.lab_results)),
                (DischargeDiagnoses, l.discharge_diagnoses.join("\n")),
                (DischargePrescriptions, l.discharge_prescriptions.join("\n")),
                (Plan, l.plan.clone()),
                (Contact, l.contact.clone()),
            ]),
        }
        out
    }
}

/// Every cell a lab results table prints, for the font check.
fn lab_text(results: &[LabResult]) -> String {
    results
        .iter()
        .flat_map(|r| [&r.item, &r.value, &r.unit, &r.reference_range])
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rows hold to the domain's rule whichever way the letter came (the
/// command-line renderer reads them from JSON), and there are not more
/// than a letter carries.
fn check_lab_results(results: &[LabResult]) -> Result<(), LetterError> {
    if results.len() > MAX_LAB_ROWS {
        return Err(LetterError::TooManyLabResults);
    }
    for (i, r) in results.iter().enumerate() {
        let date = r.taken_on.format("%Y-%m-%d").to_string();
        let again = check_lab_row(LabRowInput {
            item: &r.item,
            value: &r.value,
            unit: &r.unit,
            reference_range: &r.reference_range,
            taken_on: &date,
        });
        if let Err(problems) = again {
            return Err(LetterError::LabResult {
                row: i + 1,
                reason: problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join("、"),
            });
        }
    }
    Ok(())
}

/// The texts, of those given, that hold characters either bundled font
/// lacks: a value may be drawn in either.
pub(crate) fn unsupported_in(texts: Vec<(Field, String)>) -> Vec<UnsupportedText> {
    let mut out = Vec::new();
    for (field, text) in texts {
        let mut chars: Vec<char> = text
            .chars()
            .filter(|&c| !FontKind::Mincho.covers(c) || !FontKind::Gothic.covers(c))
            .collect();
        chars.dedup();
        if !chars.is_empty() {
            out.push(UnsupportedText {
                field,
                characters: chars.into_iter().collect(),
            });
        }
    }
    out
}

pub(crate) fn require(missing: &mut Vec<Field>, field: Field, value: &str) {
    if value.trim().is_empty() {
        missing.push(field);
    }
}

fn require_lines(missing: &mut Vec<Field>, field: Field, lines: &[String]) {
    if lines.iter().all(|l| l.trim().is_empty()) {
        missing.push(field);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedText {
    pub field: Field,
    pub characters: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    #[error("次の項目を入力してください：{}", labels(.0))]
    Missing(Vec<Field>),
    #[error("退院日が入院日より前になっています")]
    DischargeBeforeAdmission,
    #[error("追跡コードが正しくありません")]
    BadTrackingCode,
    #[error("印刷できない文字があります：{}（別の字に置き換えてください。例：𠮷→吉）", describe(.0))]
    UnsupportedCharacters(Vec<UnsupportedText>),
    #[error("検査結果の{row}行目：{reason}")]
    LabResult { row: usize, reason: String },
    #[error("検査結果は{}件までです", MAX_LAB_ROWS)]
    TooManyLabResults,
    #[error("レターの JSON を読めません（{line}行{column}列）：{reason}")]
    Json {
        line: usize,
        column: usize,
        reason: String,
    },
}

fn labels(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join("、")
}

fn describe(fields: &[UnsupportedText]) -> String {
    fields
        .iter()
        .map(|f| format!("{}の「{}」", f.field.label(), f.characters))
        .collect::<Vec<_>>()
        .join("、")
}

/// serde_json's reason without the position (reported separately) and
/// without echoing the input's contents back.
fn json_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax => "JSON の書式が正しくありません".to_string(),
        Category::Eof => "ファイルが途中で終わっています".to_string(),
        Category::Io => "読み込みに失敗しました".to_string(),
        Category::Data => {
            // Field names are ours; values ("invalid type: string \"…\"")
            // may be patient text and are not repeated.
            let text = e.to_string();
            let reason = text.split(" at line ").next().unwrap_or(&text);
            let names_a_field = ["missing field", "unknown field", "duplicate field"]
                .iter()
                .any(|p| reason.starts_with(p));
            if names_a_field {
                format!("項目が正しくありません（{reason}）")
            } else {
                "値の形式が正しくありません（日付は 2026-05-12 の形、一覧は [\"…\"] の形）"
                    .to_string()
            }
        }
    }
}
