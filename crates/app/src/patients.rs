use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::{
    PatientDraft, PatientFields, WarekiDate, age_on, check_birth_date, format_birth_date,
    normalize_chart_number, parse_date, search_key, validate_patient,
};
use tsunagu_store::{PatientRecord, PatientSearch};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage};

/// The most rows a search returns; the UI asks for more letters beyond it.
pub const SEARCH_LIMIT: u32 = 100;

/// A patient ready to show: stored fields plus the dates as people read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientView {
    pub id: Uuid,
    pub fields: PatientFields,
    /// e.g. 昭和25年4月1日
    pub birth_date_wareki: String,
    /// e.g. 昭和25年4月1日（76歳）
    pub birth_date_display: String,
    pub age: u32,
    pub deleted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientList {
    pub patients: Vec<PatientView>,
    pub total: u64,
    /// More than `total` match: counting stopped there.
    pub total_capped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthDatePreview {
    pub date: NaiveDate,
    pub display: String,
}

impl App {
    pub async fn create_patient(&self, draft: &PatientDraft) -> Result<PatientView, AppError> {
        let fields = self.validate(draft, None).await?;
        let record = self
            .store
            .insert_patient(
                tsunagu_domain::new_id(),
                &fields,
                &self.actor(),
                self.clock.now(),
            )
            .await?;
        Ok(self.view(record))
    }

    pub async fn update_patient(
        &self,
        id: &str,
        draft: &PatientDraft,
    ) -> Result<PatientView, AppError> {
        let id = parse_id(id)?;
        let fields = self.validate(draft, Some(id)).await?;
        let record = self
            .store
            .update_patient(id, &fields, &self.actor(), self.clock.now())
            .await?;
        Ok(self.view(record))
    }

    /// Opens a patient's page; the view is recorded in the audit log.
    pub async fn open_patient(&self, id: &str) -> Result<PatientView, AppError> {
        let record = self
            .store
            .open_patient(parse_id(id)?, &self.actor(), self.clock.now())
            .await?;
        Ok(self.view(record))
    }

    pub async fn delete_patient(&self, id: &str) -> Result<PatientView, AppError> {
        self.set_deleted(id, true).await
    }

    pub async fn restore_patient(&self, id: &str) -> Result<PatientView, AppError> {
        self.set_deleted(id, false).await
    }

    /// Search as the user types: a name or reading substring (kanji,
    /// hiragana, katakana, half width), a chart number prefix, or a birth
    /// date in western or era form. An empty query lists everyone.
    pub async fn search_patients(
        &self,
        query: &str,
        include_deleted: bool,
    ) -> Result<PatientList, AppError> {
        let search = interpret_query(query, include_deleted);
        let page = self.store.search_patients(&search).await?;
        Ok(PatientList {
            patients: page.patients.into_iter().map(|r| self.view(r)).collect(),
            total: page.total,
            total_capped: page.total_capped,
        })
    }

    /// What a typed birth date means, for the form to show as the user types.
    pub fn preview_birth_date(&self, input: &str) -> Result<BirthDatePreview, AppError> {
        let today = self.clock.today();
        let date = check_birth_date(input, today).map_err(|m| AppError::field("birthDate", m.0))?;
        Ok(BirthDatePreview {
            date,
            display: format_birth_date(date, today),
        })
    }

    async fn set_deleted(&self, id: &str, deleted: bool) -> Result<PatientView, AppError> {
        let record = self
            .store
            .set_patient_deleted(parse_id(id)?, deleted, &self.actor(), self.clock.now())
            .await?;
        Ok(self.view(record))
    }

    async fn validate(
        &self,
        draft: &PatientDraft,
        editing: Option<Uuid>,
    ) -> Result<PatientFields, AppError> {
        let mut errors: Vec<FieldMessage> = Vec::new();
        let fields = match validate_patient(draft, self.clock.today()) {
            Ok(fields) => Some(fields),
            Err(field_errors) => {
                errors.extend(field_errors.into_iter().map(|e| FieldMessage {
                    field: e.field.key().to_string(),
                    message: e.message,
                }));
                None
            }
        };
        // Checked even when other fields are wrong, so the message shows
        // beside theirs; the unique index still guards against a race.
        if let Some(chart) = normalize_chart_number(&draft.chart_number)
            && self.store.chart_number_taken(&chart, editing).await?
        {
            errors.push(FieldMessage {
                field: "chartNumber".to_string(),
                message: "このカルテ番号は既に他の患者に使われています。".to_string(),
            });
        }
        match fields {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(AppError::validation(errors)),
        }
    }

    fn view(&self, record: PatientRecord) -> PatientView {
        let today = self.clock.today();
        let birth = record.fields.birth_date;
        PatientView {
            id: record.id,
            birth_date_wareki: WarekiDate::from_date(birth)
                .map(|w| w.to_string())
                .unwrap_or_else(|| birth.format("%Y年%-m月%-d日").to_string()),
            birth_date_display: format_birth_date(birth, today),
            age: age_on(birth, today),
            deleted: record.deleted_at.is_some(),
            created_at: record.created_at,
            updated_at: record.updated_at,
            fields: record.fields,
        }
    }
}

pub(crate) fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::not_found())
}

fn interpret_query(query: &str, include_deleted: bool) -> PatientSearch {
    let query = query.trim();
    let birth_date = parse_date(query).ok();
    let term = search_key(query);
    // Names never consist of digits and date punctuation alone: such a query
    // is a chart number or a date, not a name.
    let looks_numeric = term
        .chars()
        .all(|c| c.is_ascii_digit() || "-/.".contains(c));
    let chart_prefix = normalize_chart_number(query);
    PatientSearch {
        term: (!looks_numeric && birth_date.is_none()).then_some(term),
        birth_date,
        chart_prefix,
        include_deleted,
        limit: SEARCH_LIMIT,
    }
}
