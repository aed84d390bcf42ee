//! The patient form: what the user typed, and the checked record to store.

use chrono::NaiveDate;

use crate::age::age_on;
use crate::date_error::DateError;
use crate::dates::parse_date;
use crate::field_rules::{
    Checked, Collector, Lines, TextRule, check_length, check_phone, check_text, with_hyphens,
};
use crate::kana::is_furigana;
use crate::normalize::nfkc;
// Re-exported so `patient::Sex` works as well as the crate root path.
pub use crate::sex::Sex;

/// The form as typed; every field a raw string except the sex selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientDraft {
    pub name: String,
    pub kana: String,
    pub birth_date: String,
    pub sex: Option<Sex>,
    pub address: String,
    pub phone: String,
    pub key_person_name: String,
    pub key_person_relation: String,
    pub key_person_phone: String,
    pub chart_number: String,
    pub memo: String,
}

/// The person to call about the patient, usually family (キーパーソン).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPerson {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

/// A validated patient record. Text is trimmed; phone numbers and the chart
/// number are NFKC-normalised with hyphens unified; the ふりがな is kept as
/// typed because the app shows it back that way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientFields {
    pub name: String,
    pub kana: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub address: String,
    pub phone: String,
    pub key_person: KeyPerson,
    pub chart_number: Option<String>,
    pub memo: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatientField {
    Name,
    Kana,
    BirthDate,
    Sex,
    Address,
    Phone,
    KeyPersonName,
    KeyPersonRelation,
    KeyPersonPhone,
    ChartNumber,
    Memo,
}

impl PatientField {
    /// The UI's form field name (camelCase), to put a message under its input.
    pub fn key(self) -> &'static str {
        match self {
            PatientField::Name => "name",
            PatientField::Kana => "kana",
            PatientField::BirthDate => "birthDate",
            PatientField::Sex => "sex",
            PatientField::Address => "address",
            PatientField::Phone => "phone",
            PatientField::KeyPersonName => "keyPersonName",
            PatientField::KeyPersonRelation => "keyPersonRelation",
            PatientField::KeyPersonPhone => "keyPersonPhone",
            PatientField::ChartNumber => "chartNumber",
            PatientField::Memo => "memo",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            PatientField::Name => "氏名",
            PatientField::Kana => "ふりがな",
            PatientField::BirthDate => "生年月日",
            PatientField::Sex => "性別",
            PatientField::Address => "住所",
            PatientField::Phone => "電話番号",
            PatientField::KeyPersonName => "キーパーソンの氏名",
            PatientField::KeyPersonRelation => "キーパーソンの続柄",
            PatientField::KeyPersonPhone => "キーパーソンの電話番号",
            PatientField::ChartNumber => "カルテ番号",
            PatientField::Memo => "メモ",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: PatientField,
    /// Japanese, shown under the field.
    pub message: String,
}

pub const NAME_MAX_CHARS: usize = 100;
pub const KANA_MAX_CHARS: usize = 100;
pub const ADDRESS_MAX_CHARS: usize = 200;
pub const KEY_PERSON_MAX_CHARS: usize = 100;
pub const CHART_NUMBER_MAX_CHARS: usize = 20;
pub const MEMO_MAX_CHARS: usize = 10_000;
/// Older than this is almost certainly a typo in the year or era.
pub const MAX_AGE: u32 = 130;
// Longer input cannot be a date; cut it short instead of parsing it.
const BIRTH_DATE_MAX_CHARS: usize = 40;

/// Checks every field and reports all problems at once, so the user can fix
/// the whole form in one pass.
pub fn validate_patient(
    draft: &PatientDraft,
    today: NaiveDate,
) -> Result<PatientFields, Vec<FieldError>> {
    let mut errors = Collector::default();

    let name = errors.take(
        PatientField::Name,
        check_text(
            &draft.name,
            single_line(PatientField::Name, true, NAME_MAX_CHARS),
        ),
    );
    let kana = errors.take(PatientField::Kana, check_kana(&draft.kana));
    let birth_date = errors.take(
        PatientField::BirthDate,
        check_birth_date(&draft.birth_date, today),
    );
    let sex = errors.take(
        PatientField::Sex,
        draft.sex.ok_or_else(|| "性別を選択してください".into()),
    );
    let address = errors.take(
        PatientField::Address,
        check_text(
            &draft.address,
            multi_line(PatientField::Address, ADDRESS_MAX_CHARS),
        ),
    );
    let phone = errors.take(
        PatientField::Phone,
        check_phone(&draft.phone, PatientField::Phone.label_ja(), false),
    );
    let key_person = check_key_person(draft, &mut errors);
    let chart_number = errors.take(
        PatientField::ChartNumber,
        check_chart_number(&draft.chart_number),
    );
    let memo = errors.take(
        PatientField::Memo,
        check_text(&draft.memo, multi_line(PatientField::Memo, MEMO_MAX_CHARS)),
    );

    let (
        Some(name),
        Some(kana),
        Some(birth_date),
        Some(sex),
        Some(address),
        Some(phone),
        Some(key_person),
        Some(chart_number),
        Some(memo),
    ) = (
        name,
        kana,
        birth_date,
        sex,
        address,
        phone,
        key_person,
        chart_number,
        memo,
    )
    else {
        return Err(errors
            .into_vec()
            .into_iter()
            .map(|(field, message)| FieldError { field, message })
            .collect());
    };
    Ok(PatientFields {
        name,
        kana,
        birth_date,
        sex,
        address,
        phone,
        key_person,
        chart_number,
        memo,
    })
}

/// The key person's three fields, each checked (and each error kept).
fn check_key_person(
    draft: &PatientDraft,
    errors: &mut Collector<PatientField>,
) -> Option<KeyPerson> {
    let name = errors.take(
        PatientField::KeyPersonName,
        check_text(
            &draft.key_person_name,
            single_line(PatientField::KeyPersonName, false, KEY_PERSON_MAX_CHARS),
        ),
    );
    let relation = errors.take(
        PatientField::KeyPersonRelation,
        check_text(
            &draft.key_person_relation,
            single_line(PatientField::KeyPersonRelation, false, KEY_PERSON_MAX_CHARS),
        ),
    );
    let phone = errors.take(
        PatientField::KeyPersonPhone,
        check_phone(
            &draft.key_person_phone,
            PatientField::KeyPersonPhone.label_ja(),
            false,
        ),
    );
    Some(KeyPerson {
        name: name?,
        relation: relation?,
        phone: phone?,
    })
}

fn multi_line(field: PatientField, max_chars: usize) -> TextRule {
    TextRule {
        label: field.label_ja(),
        required: false,
        max_chars,
        lines: Lines::Multi,
    }
}

fn single_line(field: PatientField, required: bool, max_chars: usize) -> TextRule {
    TextRule {
        label: field.label_ja(),
        required,
        max_chars,
        lines: Lines::Single,
    }
}

fn check_kana(raw: &str) -> Checked<String> {
    let kana = check_text(raw, single_line(PatientField::Kana, true, KANA_MAX_CHARS))?;
    if !is_furigana(&kana) {
        return Err("ふりがなはひらがなかカタカナで入力してください".into());
    }
    Ok(kana)
}

/// The birth-date rule on its own, for the form's preview as the user types.
pub fn check_birth_date(raw: &str, today: NaiveDate) -> Checked<NaiveDate> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("生年月日を入力してください".into());
    }
    if text.chars().count() > BIRTH_DATE_MAX_CHARS {
        return Err(DateError::Unrecognised.into());
    }
    let birth = parse_date(text)?;
    if birth > today {
        return Err("未来の日付は指定できません".into());
    }
    if age_on(birth, today) > MAX_AGE {
        return Err(format!("生年月日を確認してください（{MAX_AGE}歳を超えています）").into());
    }
    Ok(birth)
}

/// `None` when left empty. Letters, digits and hyphens only, because clinics
/// type these into other systems (レセコン, 電子カルテ) to find the chart.
fn check_chart_number(raw: &str) -> Checked<Option<String>> {
    let label = PatientField::ChartNumber.label_ja();
    let value = chart_number_form(raw);
    if value.is_empty() {
        return Ok(None);
    }
    check_length(&value, label, CHART_NUMBER_MAX_CHARS)?;
    if !is_chart_number_text(&value) {
        return Err(format!("{label}は英数字とハイフンで入力してください（例：A-00123）").into());
    }
    Ok(Some(value))
}

/// A chart number (or the start of one, typed into search) in its stored
/// form, or `None` when the text cannot be part of a chart number.
pub fn normalize_chart_number(raw: &str) -> Option<String> {
    let value = chart_number_form(raw);
    (!value.is_empty()
        && value.chars().count() <= CHART_NUMBER_MAX_CHARS
        && is_chart_number_text(&value))
    .then_some(value)
}

fn chart_number_form(raw: &str) -> String {
    with_hyphens(&nfkc(raw.trim()))
}

fn is_chart_number_text(value: &str) -> bool {
    value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests;
