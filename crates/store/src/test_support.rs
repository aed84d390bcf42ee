//! Fixtures shared by the store's unit tests.

use chrono::{NaiveDate, TimeZone, Utc};
use tsunagu_domain::{EventDetails, KeyPerson, PatientFields, Sex};
use uuid::Uuid;

use crate::{EventSource, ImportedReferral, StoredEvent};

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

/// An event a liaison recorded, saying `details`.
pub(crate) fn liaison_event(details: EventDetails) -> StoredEvent {
    StoredEvent {
        id: Uuid::now_v7(),
        details: Some(details),
        voids: None,
        note: String::new(),
        source: EventSource::Liaison,
        actor: "test".into(),
        at: Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap(),
    }
}

/// 紹介済 to 豊島中央病院 on `on`.
pub(crate) fn sent_on(on: NaiveDate) -> StoredEvent {
    liaison_event(EventDetails::Sent {
        date: on,
        hospital: "豊島中央病院".into(),
    })
}

/// A referral of `patient` with its whole history, as sync imports it.
pub(crate) fn imported(patient: Uuid, events: Vec<StoredEvent>) -> ImportedReferral {
    ImportedReferral {
        id: Uuid::now_v7(),
        patient_id: patient,
        tracking_code: format!("T{}", Uuid::now_v7().simple()),
        created_at: Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap(),
        events,
    }
}
