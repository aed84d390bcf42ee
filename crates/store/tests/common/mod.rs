#![allow(dead_code, reason = "each test binary uses its own share")]

use chrono::{NaiveDate, TimeZone, Utc};
use tsunagu_domain::{KeyPerson, PatientFields, Sex};

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
}

pub fn yamada() -> PatientFields {
    PatientFields {
        name: "山田　太郎".to_string(),
        kana: "やまだ　たろう".to_string(),
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
        sex: Sex::Male,
        address: "東京都豊島区南池袋2-10-5".to_string(),
        phone: "03-1234-5678".to_string(),
        key_person: KeyPerson {
            name: "山田　花子".to_string(),
            relation: "妻".to_string(),
            phone: "090-1111-2222".to_string(),
        },
        chart_number: Some("A-1001".to_string()),
        memo: "ペースメーカーなし".to_string(),
    }
}
