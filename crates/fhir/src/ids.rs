//! The CLINS identifier and the resource ids derived from it.

use sha2::{Digest, Sha256};

use crate::FhirError;

/// Checks a 医療機関番号: 10 ASCII digits, 都道府県番号 01–47, 点数表番号
/// 1 (医科), 2 (歯科) or 3 (薬局), then the 7-digit 医療機関コード. The
/// JP-CLINS institution-number invariant is `^[0-4][0-9][1-3][0-9]{7}$`;
/// the prefecture range is narrowed to the 47 that exist.
pub fn check_institution_number(number: &str) -> Result<(), FhirError> {
    let bytes = number.as_bytes();
    if bytes.len() != 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(FhirError::InstitutionNumber);
    }
    let prefecture = u32::from(bytes[0] - b'0') * 10 + u32::from(bytes[1] - b'0');
    if !(1..=47).contains(&prefecture) || !(b'1'..=b'3').contains(&bytes[2]) {
        return Err(FhirError::InstitutionNumber);
    }
    Ok(())
}

/// The CLINS document identifier: 医療機関番号10桁^西暦4桁^番号.
pub fn clins_identifier(
    institution_number: &str,
    year: i32,
    document_number: &str,
) -> Result<String, FhirError> {
    check_institution_number(institution_number)?;
    check_document_number(document_number)?;
    if !(1000..=9999).contains(&year) {
        // Only a clock gone wrong gets here; the value must stay 4 digits.
        return Err(FhirError::DocumentNumber);
    }
    Ok(format!("{institution_number}^{year}^{document_number}"))
}

fn check_document_number(number: &str) -> Result<(), FhirError> {
    let ok = (1..=32).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(FhirError::DocumentNumber)
    }
}

pub(crate) fn check_patient_number(number: &str) -> Result<(), FhirError> {
    let ok = (1..=64).contains(&number.len())
        && number
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(FhirError::PatientNumber)
    }
}

/// Resource ids for one document: a UUID per role, from a hash of the
/// document's identifier and the role, so that the same input gives the
/// same ids (and two documents never share one).
pub(crate) struct Ids {
    seed: String,
}

impl Ids {
    pub(crate) fn new(seed: &str) -> Ids {
        Ids {
            seed: seed.to_owned(),
        }
    }

    /// The bare UUID (a resource's `id`).
    pub(crate) fn id(&self, role: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.seed.as_bytes());
        hasher.update([0u8]);
        hasher.update(role.as_bytes());
        let digest = hasher.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        // Version 8 (custom): a hash-derived UUID that claims no other
        // version's meaning.
        uuid::Builder::from_custom_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// The `urn:uuid:` form used for fullUrl and references in a Bundle.
    pub(crate) fn urn(&self, role: &str) -> String {
        format!("urn:uuid:{}", self.id(role))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn institution_numbers() {
        assert!(check_institution_number("1311234567").is_ok());
        assert!(check_institution_number("4731234567").is_ok());
        for bad in [
            "131123456",
            "13112345678",
            "131123456a",
            "0011234567",
            "4811234567",
            "1341234567",
            "1301234567",
            "１３１１２３４５６７",
        ] {
            assert_eq!(
                check_institution_number(bad),
                Err(FhirError::InstitutionNumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn identifier_format() {
        assert_eq!(
            clins_identifier("1311234567", 2026, "000123").as_deref(),
            Ok("1311234567^2026^000123")
        );
        assert_eq!(
            clins_identifier("1311234567", 2026, ""),
            Err(FhirError::DocumentNumber)
        );
        assert_eq!(
            clins_identifier("1311234567", 2026, "12^3"),
            Err(FhirError::DocumentNumber)
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = Ids::new("1311234567^2026^1");
        let b = Ids::new("1311234567^2026^2");
        assert_eq!(a.id("patient"), a.id("patient"));
        assert_ne!(a.id("patient"), a.id("composition"));
        assert_ne!(a.id("patient"), b.id("patient"));
        assert!(a.urn("patient").starts_with("urn:uuid:"));
        assert_eq!(a.id("patient").len(), 36);
    }
}
