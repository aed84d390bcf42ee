//! Fixtures shared by the store's unit tests.

use chrono::NaiveDate;
use tsunagu_domain::{KeyPerson, PatientFields, Sex};

/// 山田　太郎, with only what a patient needs.
pub(crate) fn yamada_fields() -> PatientFields {
    PatientFields {
        name: "山田　太郎".into(),
        kana: "やまだ　たろう".into(),
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).expect("valid date"),
        sex: Sex::Male,
        address: String::new(),
        phone: String::new(),
        key_person: KeyPerson::default(),
        chart_number: None,
        memo: String::new(),
    }
}
