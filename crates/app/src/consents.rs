//! The patient's consent to share with the region (同意): recorded, changed
//! or withdrawn on the patient page, and printed as a one-page 同意書 for
//! the patient to sign. Without a consent in force nothing about the
//! patient goes to the regional server.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::{ConsentDraft, check_consent, format_wareki};
use tsunagu_store::ConsentRecord;
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage};
use crate::patients::parse_id;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentView {
    pub id: Uuid,
    pub obtained_on: NaiveDate,
    /// 和暦
    pub obtained_on_label: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawn_on_label: Option<String>,
    pub in_force: bool,
    pub recorded_at: DateTime<Utc>,
}

impl From<ConsentRecord> for ConsentView {
    fn from(record: ConsentRecord) -> Self {
        let c = &record.consent;
        ConsentView {
            id: record.id,
            obtained_on: c.obtained_on,
            obtained_on_label: format_wareki(c.obtained_on),
            obtained_by: c.obtained_by.clone(),
            share_with_desk: c.share_with_desk,
            share_with_hospital: c.share_with_hospital,
            withdrawn_on: c.withdrawn_on,
            withdrawn_on_label: c.withdrawn_on.map(format_wareki),
            in_force: c.in_force(),
            recorded_at: record.recorded_at,
        }
    }
}

impl App {
    /// The patient's consents, newest first.
    pub async fn consents(&self, patient_id: &str) -> Result<Vec<ConsentView>, AppError> {
        let patient_id = parse_id(patient_id)?;
        Ok(self
            .store
            .consents_for_patient(patient_id)
            .await?
            .into_iter()
            .map(ConsentView::from)
            .collect())
    }

    /// Records a consent (`consent_id` `None`) or changes one — withdrawing
    /// it is a change with 撤回日 set. Mistakes come back by field.
    pub async fn save_consent(
        &self,
        patient_id: &str,
        consent_id: Option<&str>,
        draft: &ConsentDraft,
    ) -> Result<ConsentView, AppError> {
        let patient_id = parse_id(patient_id)?;
        let id = consent_id.map(parse_id).transpose()?;
        let now = self.clock.now();
        let consent = check_consent(draft, self.clock.today()).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage {
                        field: field.key().to_string(),
                        message,
                    })
                    .collect(),
            )
        })?;
        // The patient must exist (and a changed consent must be theirs).
        self.store.patient(patient_id).await?;
        if let Some(id) = id
            && self.store.consent(id).await?.patient_id != patient_id
        {
            return Err(AppError::not_found());
        }
        let record = self
            .store
            .save_consent(
                id.unwrap_or_else(Uuid::now_v7),
                patient_id,
                &consent,
                &self.actor,
                now,
            )
            .await?;
        Ok(record.into())
    }
}
