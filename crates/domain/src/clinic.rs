//! The clinic's own profile, printed as the sender on every letter.

use crate::field_rules::{
    Checked, Collector, Lines, TextRule, check_phone, check_text, with_hyphens,
};
use crate::normalize::nfkc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicDraft {
    pub name: String,
    pub institution_code: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub doctor_name: String,
}

/// Validated profile: trimmed text, `postal_code` as "171-0022", phone
/// numbers NFKC-normalised with hyphens unified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicProfile {
    pub name: String,
    /// 10 digits without separators; `None` when not entered.
    pub institution_code: Option<String>,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    /// Empty when the clinic has no FAX.
    pub fax: String,
    pub doctor_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClinicField {
    Name,
    InstitutionCode,
    PostalCode,
    Address,
    Phone,
    Fax,
    DoctorName,
}

impl ClinicField {
    /// The UI's form field name (camelCase).
    pub fn key(self) -> &'static str {
        match self {
            ClinicField::Name => "name",
            ClinicField::InstitutionCode => "institutionCode",
            ClinicField::PostalCode => "postalCode",
            ClinicField::Address => "address",
            ClinicField::Phone => "phone",
            ClinicField::Fax => "fax",
            ClinicField::DoctorName => "doctorName",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ClinicField::Name => "医療機関名",
            ClinicField::InstitutionCode => "医療機関コード",
            ClinicField::PostalCode => "郵便番号",
            ClinicField::Address => "住所",
            ClinicField::Phone => "電話番号",
            ClinicField::Fax => "FAX番号",
            ClinicField::DoctorName => "医師名",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicFieldError {
    pub field: ClinicField,
    /// Japanese, shown under the field.
    pub message: String,
}

pub const CLINIC_NAME_MAX_CHARS: usize = 100;
pub const CLINIC_ADDRESS_MAX_CHARS: usize = 200;
pub const DOCTOR_NAME_MAX_CHARS: usize = 50;

/// Checks every field and reports all problems at once.
pub fn validate_clinic(draft: &ClinicDraft) -> Result<ClinicProfile, Vec<ClinicFieldError>> {
    let mut errors = Collector::default();
    let name = errors.take(
        ClinicField::Name,
        check_text(
            &draft.name,
            rule(ClinicField::Name, CLINIC_NAME_MAX_CHARS, Lines::Single),
        ),
    );
    let institution_code = errors.take(
        ClinicField::InstitutionCode,
        check_institution_code(&draft.institution_code),
    );
    let postal_code = errors.take(
        ClinicField::PostalCode,
        check_postal_code(&draft.postal_code),
    );
    let address = errors.take(
        ClinicField::Address,
        check_text(
            &draft.address,
            rule(ClinicField::Address, CLINIC_ADDRESS_MAX_CHARS, Lines::Multi),
        ),
    );
    let phone = errors.take(
        ClinicField::Phone,
        check_phone(&draft.phone, ClinicField::Phone.label_ja(), true),
    );
    let fax = errors.take(
        ClinicField::Fax,
        check_phone(&draft.fax, ClinicField::Fax.label_ja(), false),
    );
    let doctor_name = errors.take(
        ClinicField::DoctorName,
        check_text(
            &draft.doctor_name,
            rule(
                ClinicField::DoctorName,
                DOCTOR_NAME_MAX_CHARS,
                Lines::Single,
            ),
        ),
    );

    let (
        Some(name),
        Some(institution_code),
        Some(postal_code),
        Some(address),
        Some(phone),
        Some(fax),
        Some(doctor_name),
    ) = (
        name,
        institution_code,
        postal_code,
        address,
        phone,
        fax,
        doctor_name,
    )
    else {
        return Err(errors
            .into_vec()
            .into_iter()
            .map(|(field, message)| ClinicFieldError { field, message })
            .collect());
    };
    Ok(ClinicProfile {
        name,
        institution_code,
        postal_code,
        address,
        phone,
        fax,
        doctor_name,
    })
}

fn rule(field: ClinicField, max_chars: usize, lines: Lines) -> TextRule {
    TextRule {
        label: field.label_ja(),
        required: true,
        max_chars,
        lines,
    }
}

/// People copy the code as printed, e.g. "13-1-2345678" or "13 1 2345678";
/// the separators carry no meaning, so only the digits are kept.
fn check_institution_code(raw: &str) -> Checked<Option<String>> {
    let digits: String = with_hyphens(&nfkc(raw))
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("医療機関コードは10桁の数字です（例：1312345679）".into());
    }
    check_institution_digits(&digits)?;
    Ok(Some(digits))
}

/// The 10 digits as printed on a prescription (処方箋発行医療機関コード):
/// the prefecture (01–47), the 点数表 (1 医科, 3 歯科: a clinic is one of
/// them), then the 7-digit code whose last digit checks all nine before
/// it by the Luhn rule (weights 2 and 1 from the right, a two-digit
/// product's digits added). A slip of one digit or two swapped neighbours
/// is caught here, before the code goes into every letter and FHIR
/// document's identifier.
fn check_institution_digits(digits: &str) -> Checked<()> {
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let prefecture =
        values.first().copied().unwrap_or(0) * 10 + values.get(1).copied().unwrap_or(0);
    if !(1..=47).contains(&prefecture) {
        return Err("医療機関コードの先頭2桁（都道府県番号）は01〜47です".into());
    }
    if !matches!(values.get(2), Some(1 | 3)) {
        return Err("医療機関コードの3桁目（点数表番号）は医科なら1、歯科なら3です".into());
    }
    let sum: u32 = values
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                doubled / 10 + doubled % 10
            } else {
                d
            }
        })
        .sum();
    if !sum.is_multiple_of(10) {
        return Err(
            "医療機関コードの末尾の1桁（検証番号）が合いません。番号を確かめてください".into(),
        );
    }
    Ok(())
}

fn check_postal_code(raw: &str) -> Checked<String> {
    let normalised = with_hyphens(&nfkc(raw.trim()));
    // Addresses are often pasted with the postal mark: "〒171-0022".
    let code = normalised.trim_start_matches('〒').trim();
    if code.is_empty() {
        return Err("郵便番号を入力してください".into());
    }
    let digits: String = match code.split_once('-') {
        Some((head, tail)) if head.len() == 3 && tail.len() == 4 => format!("{head}{tail}"),
        Some(_) => String::new(),
        None => code.to_owned(),
    };
    if digits.len() == 7 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("{}-{}", &digits[..3], &digits[3..]))
    } else {
        Err("郵便番号は7桁の数字で入力してください（例：171-0022）".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_draft() -> ClinicDraft {
        ClinicDraft {
            name: "つなぐ内科クリニック".to_owned(),
            institution_code: "1312345679".to_owned(),
            postal_code: "171-0022".to_owned(),
            address: "東京都豊島区南池袋1-2-3".to_owned(),
            phone: "03-1234-5678".to_owned(),
            fax: "03-1234-5679".to_owned(),
            doctor_name: "山田 太郎".to_owned(),
        }
    }

    fn only_error(draft: &ClinicDraft) -> (&'static str, String) {
        let errors = validate_clinic(draft).expect_err("should be rejected");
        assert_eq!(errors.len(), 1, "{errors:?}");
        (errors[0].field.key(), errors[0].message.clone())
    }

    #[test]
    fn valid_profile() {
        let profile = validate_clinic(&valid_draft()).expect("valid");
        assert_eq!(profile.institution_code.as_deref(), Some("1312345679"));
        assert_eq!(profile.postal_code, "171-0022");
        assert_eq!(profile.fax, "03-1234-5679");
    }

    #[test]
    fn optional_fields() {
        let mut draft = valid_draft();
        draft.institution_code = " ".to_owned();
        draft.fax = String::new();
        let profile = validate_clinic(&draft).expect("valid");
        assert_eq!(profile.institution_code, None);
        assert_eq!(profile.fax, "");
    }

    #[test]
    fn institution_code() {
        let mut draft = valid_draft();
        for ok in [
            "13-1-2345679",
            "１３１２３４５６７９",
            "13 1 2345679",
            "13ー1ー2345679",
        ] {
            draft.institution_code = ok.to_owned();
            assert_eq!(
                validate_clinic(&draft).map(|p| p.institution_code),
                Ok(Some("1312345679".to_owned())),
                "{ok}"
            );
        }
        for bad in [
            "131234567",
            "13123456799",
            "13123456ab",
            "１３１２３４５６７",
        ] {
            draft.institution_code = bad.to_owned();
            assert_eq!(
                only_error(&draft),
                (
                    "institutionCode",
                    "医療機関コードは10桁の数字です（例：1312345679）".to_owned()
                ),
                "{bad}"
            );
        }
    }

    /// The prefecture, the 点数表 and the check digit; the example is a
    /// code as printed on a prescription (0110113719).
    #[test]
    fn institution_code_digits_are_checked() {
        let mut draft = valid_draft();
        for ok in ["0110113719", "1312345679", "1332345675"] {
            draft.institution_code = ok.to_owned();
            assert!(validate_clinic(&draft).is_ok(), "{ok}");
        }
        for (bad, says) in [
            ("1312345678", "検証番号"),
            ("1312345697", "検証番号"),
            ("0012345678", "都道府県番号"),
            ("4812345678", "都道府県番号"),
            ("1342345678", "点数表番号"),
        ] {
            draft.institution_code = bad.to_owned();
            let (field, message) = only_error(&draft);
            assert_eq!(field, "institutionCode");
            assert!(message.contains(says), "{bad}: {message}");
        }
    }

    #[test]
    fn postal_code() {
        let mut draft = valid_draft();
        for ok in [
            "171-0022",
            "1710022",
            "１７１－００２２",
            "〒171-0022",
            "〒 1710022",
            "171ー0022",
        ] {
            draft.postal_code = ok.to_owned();
            assert_eq!(
                validate_clinic(&draft).map(|p| p.postal_code),
                Ok("171-0022".to_owned()),
                "{ok}"
            );
        }
        for bad in [
            "1710-022",
            "171-00222",
            "171002",
            "abc-defg",
            "171-0022-1",
            "17１0０2",
        ] {
            draft.postal_code = bad.to_owned();
            assert_eq!(
                only_error(&draft),
                (
                    "postalCode",
                    "郵便番号は7桁の数字で入力してください（例：171-0022）".to_owned()
                ),
                "{bad}"
            );
        }
        draft.postal_code = String::new();
        assert_eq!(
            only_error(&draft),
            ("postalCode", "郵便番号を入力してください".to_owned())
        );
    }

    #[test]
    fn lengths_and_required_fields() {
        let mut draft = valid_draft();
        draft.doctor_name = "医".repeat(51);
        assert_eq!(
            only_error(&draft),
            (
                "doctorName",
                "医師名は50文字以内で入力してください（現在51文字）".to_owned()
            )
        );
        let mut draft = valid_draft();
        draft.name = "医".repeat(101);
        assert_eq!(only_error(&draft).0, "name");
        let mut draft = valid_draft();
        draft.address = "東".repeat(201);
        assert_eq!(only_error(&draft).0, "address");
        let mut draft = valid_draft();
        draft.fax = "FAXなし".to_owned();
        assert_eq!(
            only_error(&draft),
            (
                "fax",
                "FAX番号は数字とハイフンで入力してください（例：03-1234-5678）".to_owned()
            )
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = validate_clinic(&ClinicDraft::default()).expect_err("rejected");
        let keys: Vec<_> = errors.iter().map(|e| e.field.key()).collect();
        assert_eq!(
            keys,
            ["name", "postalCode", "address", "phone", "doctorName"]
        );
        assert_eq!(errors[0].message, "医療機関名を入力してください");
        assert_eq!(errors[3].message, "電話番号を入力してください");
    }
}
