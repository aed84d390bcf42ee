//! The emergency sheet (救急医療情報): one A4 page the clinic prints and the
//! family keeps at home (on the fridge, by the phone), so that an ambulance
//! crew or an on-call doctor who has never met the patient reads at a
//! glance who the patient is, whether CPR is wanted, whom to call, the
//! illnesses, medicines, allergies and devices, and the wishes recorded at
//! the latest 人生会議 (ACP). Laid out by `emergency_sheet_layout`.
//!
//! The sheet is always one page. Its values come from records the clinic
//! keeps elsewhere (the problem list, the prescription, the ACP record,
//! whose 大切にしていること may run to 2,000 characters), so a list or a
//! text longer than its box is shortened with a visible
//! 「…（以下省略：全N件）」 or 「…（以下省略）」 rather than refused: refusing
//! would keep a safety document from being printed until the clinic edits
//! other records, while the marker tells the reader that there is more and
//! the sheet's last line says where to ask. The app should give each list
//! most important first (e.g. anticoagulants among the medicines).

use chrono::NaiveDate;
use tsunagu_domain::Sex;
use tsunagu_domain::acp::{AcpRecord, Surrogate, Treatment, Wish};

use crate::model::{Field, LetterError, require, unsupported_in};

/// Everything the sheet prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencySheet {
    /// 作成日: the sheet says its content is as of this day.
    pub made_on: NaiveDate,
    /// 作成者: who made it (e.g. 「医師　佐藤　一郎」).
    pub made_by: String,
    pub patient: SheetPatient,
    /// The family doctor and the 24-hour contact.
    pub clinic: SheetClinic,
    /// The visiting-nurse station, if the patient has one.
    pub nursing_station: Option<SheetStation>,
    /// 主な病名, most important first.
    pub problems: Vec<String>,
    /// 服用中の薬, one a line (name, dose, timing), most important first.
    pub medications: Vec<String>,
    /// アレルギー as recorded; empty prints 「（記録なし）」, so 「なし」
    /// is printed only when the record says so.
    pub allergies: String,
    /// 医療機器・処置 (在宅酸素, 胃ろう, 尿道カテーテル…).
    pub devices: Vec<String>,
    /// The wishes of the latest 人生会議; `None` prints
    /// 「人生会議の記録はありません」 wherever a wish would be.
    pub wishes: Option<SheetWishes>,
    /// 代理意思決定者.
    pub surrogate: Option<Surrogate>,
}

/// 氏名, ふりがな, 生年月日 (with the age on the day the sheet is made),
/// 性別, 住所 and 電話, from the patient's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPatient {
    pub name: String,
    pub kana: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub address: String,
    pub phone: String,
}

/// The family doctor's clinic, from its profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetClinic {
    pub name: String,
    pub doctor: String,
    pub phone: String,
    /// 夜間・休日の連絡先; empty prints 「（記録なし）」.
    pub after_hours_phone: String,
}

/// The visiting-nurse station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetStation {
    pub name: String,
    pub phone: String,
    /// Its 24-hour number; empty prints 「（記録なし）」.
    pub after_hours_phone: String,
}

/// The wishes of one 人生会議, as the sheet prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetWishes {
    /// The day of the conversation.
    pub held_on: NaiveDate,
    /// The answer about each treatment. A treatment left out prints 未定,
    /// as [`AcpRecord::wish`] reads it; CPR is printed apart, first.
    pub treatments: Vec<(Treatment, Wish)>,
    /// 補足 about the treatments; printed when not empty.
    pub treatments_note: String,
    /// 療養の場所, with its note (「自宅（訪問診療を受けながら）」).
    pub place_of_care: String,
    /// 最期を迎える場所, with its note.
    pub place_of_death: String,
    /// 大切にしていること, shortened on the sheet when long.
    pub values: String,
}

impl SheetWishes {
    /// The wishes of an ACP record (its surrogate goes in
    /// [`EmergencySheet::surrogate`]).
    pub fn from_record(record: &AcpRecord) -> SheetWishes {
        SheetWishes {
            held_on: record.held_on,
            treatments: record.wishes.clone(),
            treatments_note: record.wishes_note.clone(),
            place_of_care: AcpRecord::place_label_ja(
                record.place_of_care,
                &record.place_of_care_note,
            ),
            place_of_death: AcpRecord::place_label_ja(
                record.place_of_death,
                &record.place_of_death_note,
            ),
            values: record.values.clone(),
        }
    }

    /// The answer about `treatment`: 未定 when the record has none.
    pub fn wish(&self, treatment: Treatment) -> Wish {
        self.treatments
            .iter()
            .find(|(t, _)| *t == treatment)
            .map_or(Wish::Undecided, |(_, w)| *w)
    }
}

/// A field of the sheet's own, for messages: its Japanese label and the key
/// of the app's field that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetField {
    MadeBy,
    ClinicPhone,
    AfterHoursPhone,
    NursingStation,
    Problems,
    Medications,
    Allergies,
    Devices,
    Wishes,
    Surrogate,
}

impl SheetField {
    pub fn label_ja(self) -> &'static str {
        match self {
            SheetField::MadeBy => "作成者",
            SheetField::ClinicPhone => "医療機関の電話番号",
            SheetField::AfterHoursPhone => "夜間・休日の連絡先",
            SheetField::NursingStation => "訪問看護ステーション",
            SheetField::Problems => "主な病名",
            SheetField::Medications => "服用中の薬",
            SheetField::Allergies => "アレルギー",
            SheetField::Devices => "医療機器・処置",
            SheetField::Wishes => "人生会議の内容",
            SheetField::Surrogate => "代理意思決定者",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SheetField::MadeBy => "madeBy",
            SheetField::ClinicPhone => "clinicPhone",
            SheetField::AfterHoursPhone => "afterHoursPhone",
            SheetField::NursingStation => "nursingStation",
            SheetField::Problems => "problems",
            SheetField::Medications => "medications",
            SheetField::Allergies => "allergies",
            SheetField::Devices => "devices",
            SheetField::Wishes => "wishes",
            SheetField::Surrogate => "surrogate",
        }
    }
}

impl EmergencySheet {
    /// What must hold before the sheet is printed: the patient's name, the
    /// clinic with its doctor and a phone to call, who made the sheet — and
    /// characters the fonts can draw. Long lists are not refused (see the
    /// module's comment).
    pub fn check(&self) -> Result<(), LetterError> {
        let own = Field::EmergencySheet;
        let mut missing = Vec::new();
        require(&mut missing, Field::PatientName, &self.patient.name);
        require(&mut missing, Field::FromClinic, &self.clinic.name);
        require(&mut missing, Field::FromDoctor, &self.clinic.doctor);
        require(
            &mut missing,
            own(SheetField::ClinicPhone),
            &self.clinic.phone,
        );
        require(&mut missing, own(SheetField::MadeBy), &self.made_by);
        if let Some(station) = &self.nursing_station {
            require(&mut missing, own(SheetField::NursingStation), &station.name);
        }
        if let Some(surrogate) = &self.surrogate {
            require(&mut missing, own(SheetField::Surrogate), &surrogate.name);
        }
        if !missing.is_empty() {
            return Err(LetterError::Missing(missing));
        }
        let unsupported = unsupported_in(self.texts());
        if !unsupported.is_empty() {
            return Err(LetterError::UnsupportedCharacters(unsupported));
        }
        Ok(())
    }

    /// Every text the sheet prints, with its field.
    fn texts(&self) -> Vec<(Field, String)> {
        use SheetField as S;
        let own = Field::EmergencySheet;
        let p = &self.patient;
        let mut out = vec![
            (own(S::MadeBy), self.made_by.clone()),
            (Field::PatientName, p.name.clone()),
            (Field::PatientKana, p.kana.clone()),
            (Field::PatientAddress, format!("{}{}", p.address, p.phone)),
            (Field::FromClinic, self.clinic.name.clone()),
            (Field::FromDoctor, self.clinic.doctor.clone()),
            (own(S::ClinicPhone), self.clinic.phone.clone()),
            (
                own(S::AfterHoursPhone),
                self.clinic.after_hours_phone.clone(),
            ),
            (own(S::Problems), self.problems.join("\n")),
            (own(S::Medications), self.medications.join("\n")),
            (own(S::Allergies), self.allergies.clone()),
            (own(S::Devices), self.devices.join("\n")),
        ];
        if let Some(s) = &self.nursing_station {
            let text = [s.name.as_str(), &s.phone, &s.after_hours_phone].join("\n");
            out.push((own(S::NursingStation), text));
        }
        if let Some(w) = &self.wishes {
            let text = [
                w.treatments_note.as_str(),
                &w.place_of_care,
                &w.place_of_death,
                &w.values,
            ]
            .join("\n");
            out.push((own(S::Wishes), text));
        }
        if let Some(s) = &self.surrogate {
            let text = [s.name.as_str(), &s.relation, &s.phone].join("\n");
            out.push((own(S::Surrogate), text));
        }
        out
    }
}
