//! What a letter says: the input the app (or the command-line renderer)
//! gives, as JSON-friendly types, and the checks made before anything is
//! issued.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tsunagu_domain::TrackingCode;

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
        require(&mut missing, "紹介先医療機関名", &header.to.institution);
        require(&mut missing, "患者氏名", &header.patient.name);
        require(&mut missing, "医療機関名（紹介元）", &header.from.clinic);
        require(&mut missing, "医師名（紹介元）", &header.from.doctor);
        match self {
            Letter::Referral(l) => {
                require(&mut missing, "紹介目的", &l.purpose);
                require_lines(&mut missing, "傷病名", &l.diagnoses);
            }
            Letter::Discharge(l) => {
                require_lines(&mut missing, "退院時診断", &l.discharge_diagnoses);
                require(&mut missing, "退院後の方針", &l.plan);
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
        let unsupported = self.unsupported_characters();
        if !unsupported.is_empty() {
            return Err(LetterError::UnsupportedCharacters(unsupported));
        }
        Ok(())
    }

    /// Each field that holds characters the bundled fonts cannot draw, with
    /// those characters: the user replaces them (e.g. 𠮷 → 吉) before issuing.
    pub fn unsupported_characters(&self) -> Vec<UnsupportedText> {
        let mut out = Vec::new();
        for (label, text) in self.texts() {
            let mut chars: Vec<char> = text
                .chars()
                .filter(|&c| !FontKind::Mincho.covers(c) || !FontKind::Gothic.covers(c))
                .collect();
            chars.dedup();
            if !chars.is_empty() {
                out.push(UnsupportedText {
                    field: label,
                    characters: chars.into_iter().collect(),
                });
            }
        }
        out
    }

    /// Every text the letter prints, with its label.
    fn texts(&self) -> Vec<(&'static str, String)> {
        let h = self.header();
        let mut out = vec![
            ("紹介先医療機関名", h.to.institution.clone()),
            ("診療科", h.to.department.clone()),
            ("紹介先医師名", h.to.doctor.clone()),
            ("医療機関名（紹介元）", h.from.clinic.clone()),
            ("住所（紹介元）", h.from.address.clone()),
            ("医師名（紹介元）", h.from.doctor.clone()),
            ("患者氏名", h.patient.name.clone()),
            ("ふりがな", h.patient.kana.clone()),
        ];
        match self {
            Letter::Referral(l) => out.extend([
                ("紹介目的", l.purpose.clone()),
                ("傷病名", l.diagnoses.join("\n")),
                ("既往歴及び家族歴", l.history.clone()),
                ("症状経過及び検査結果", l.course.clone()),
                ("治療経過", l.treatment.clone()),
                ("現在の処方", l.prescriptions.join("\n")),
                ("備考", l.remarks.clone()),
                ("添付資料", l.enclosures.join("\n")),
            ]),
            Letter::Discharge(l) => out.extend([
                ("入院理由", l.reason.clone()),
                ("入院時診断", l.admission_diagnoses.join("\n")),
                ("主訴", l.chief_complaint.clone()),
                ("現病歴", l.present_illness.clone()),
                ("入院中経過", l.hospital_course.clone()),
                ("退院時診断", l.discharge_diagnoses.join("\n")),
                ("退院時処方", l.discharge_prescriptions.join("\n")),
                ("退院後の方針", l.plan.clone()),
                ("連絡先", l.contact.clone()),
            ]),
        }
        out
    }
}

fn require(missing: &mut Vec<&'static str>, label: &'static str, value: &str) {
    if value.trim().is_empty() {
        missing.push(label);
    }
}

fn require_lines(missing: &mut Vec<&'static str>, label: &'static str, lines: &[String]) {
    if lines.iter().all(|l| l.trim().is_empty()) {
        missing.push(label);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsupportedText {
    pub field: &'static str,
    pub characters: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    #[error("次の項目を入力してください：{}", .0.join("、"))]
    Missing(Vec<&'static str>),
    #[error("退院日が入院日より前になっています")]
    DischargeBeforeAdmission,
    #[error("追跡コードが正しくありません")]
    BadTrackingCode,
    #[error("印刷できない文字があります：{}（別の字に置き換えてください。例：𠮷→吉）", describe(.0))]
    UnsupportedCharacters(Vec<UnsupportedText>),
    #[error("レターの JSON を読めません（{line}行{column}列）：{reason}")]
    Json {
        line: usize,
        column: usize,
        reason: String,
    },
}

fn describe(fields: &[UnsupportedText]) -> String {
    fields
        .iter()
        .map(|f| format!("{}の「{}」", f.field, f.characters))
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
