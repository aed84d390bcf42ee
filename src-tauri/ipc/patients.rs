//! Patients: the patient form, the patient, the list's rows and the
//! birth-date preview.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
    Other,
}

impl From<app::Sex> for Sex {
    fn from(sex: app::Sex) -> Self {
        match sex {
            app::Sex::Male => Sex::Male,
            app::Sex::Female => Sex::Female,
            app::Sex::Other => Sex::Other,
        }
    }
}

impl From<Sex> for app::Sex {
    fn from(sex: Sex) -> Self {
        match sex {
            Sex::Male => app::Sex::Male,
            Sex::Female => app::Sex::Female,
            Sex::Other => app::Sex::Other,
        }
    }
}

/// What the patient form sends: the fields as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientInput {
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

impl From<PatientInput> for app::PatientDraft {
    fn from(p: PatientInput) -> Self {
        app::PatientDraft {
            name: p.name,
            kana: p.kana,
            birth_date: p.birth_date,
            sex: p.sex.map(Into::into),
            address: p.address,
            phone: p.phone,
            key_person_name: p.key_person_name,
            key_person_relation: p.key_person_relation,
            key_person_phone: p.key_person_phone,
            chart_number: p.chart_number,
            memo: p.memo,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub id: String,
    pub name: String,
    pub kana: String,
    /// ISO 8601 date, e.g. 1950-04-01.
    pub birth_date: String,
    /// e.g. 昭和25年4月1日
    pub birth_date_wareki: String,
    /// e.g. 昭和25年4月1日（76歳）
    pub birth_date_display: String,
    pub age: u32,
    pub sex: Sex,
    pub address: String,
    pub phone: String,
    pub key_person_name: String,
    pub key_person_relation: String,
    pub key_person_phone: String,
    pub chart_number: Option<String>,
    pub memo: String,
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<app::PatientView> for Patient {
    fn from(v: app::PatientView) -> Self {
        let f = v.fields;
        Patient {
            id: v.id.to_string(),
            name: f.name,
            kana: f.kana,
            birth_date: f.birth_date.format("%Y-%m-%d").to_string(),
            birth_date_wareki: v.birth_date_wareki,
            birth_date_display: v.birth_date_display,
            age: v.age,
            sex: f.sex.into(),
            address: f.address,
            phone: f.phone,
            key_person_name: f.key_person.name,
            key_person_relation: f.key_person.relation,
            key_person_phone: f.key_person.phone,
            chart_number: f.chart_number,
            memo: f.memo,
            deleted: v.deleted,
            created_at: v.created_at.to_rfc3339(),
            updated_at: v.updated_at.to_rfc3339(),
        }
    }
}

/// A row of the patient list: what it shows, without the long fields.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientSummary {
    pub id: String,
    pub name: String,
    pub kana: String,
    pub birth_date: String,
    pub birth_date_display: String,
    pub sex: Sex,
    pub chart_number: Option<String>,
    pub deleted: bool,
}

impl From<app::PatientView> for PatientSummary {
    fn from(v: app::PatientView) -> Self {
        PatientSummary {
            id: v.id.to_string(),
            name: v.fields.name,
            kana: v.fields.kana,
            birth_date: v.fields.birth_date.format("%Y-%m-%d").to_string(),
            birth_date_display: v.birth_date_display,
            sex: v.fields.sex.into(),
            chart_number: v.fields.chart_number,
            deleted: v.deleted,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub patients: Vec<PatientSummary>,
    /// How many match in all; `patients` holds at most 100 of them.
    pub total: u32,
    /// More than `total` match: counting stopped there (shown as 「1,000件以上」).
    pub total_capped: bool,
}

impl From<app::PatientList> for SearchResult {
    fn from(list: app::PatientList) -> Self {
        SearchResult {
            total: u32::try_from(list.total).unwrap_or(u32::MAX),
            total_capped: list.total_capped,
            patients: list.patients.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BirthDatePreview {
    pub iso: String,
    pub display: String,
}

impl From<app::BirthDatePreview> for BirthDatePreview {
    fn from(p: app::BirthDatePreview) -> Self {
        BirthDatePreview {
            iso: p.date.format("%Y-%m-%d").to_string(),
            display: p.display,
        }
    }
}
