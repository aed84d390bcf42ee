use tsunagu_domain::{ClinicDraft, ClinicProfile, validate_clinic};

use crate::App;
use crate::error::{AppError, FieldMessage};

/// The clinic profile as the form shows it: no code is an empty string.
pub type ClinicProfileView = ClinicProfile;

impl App {
    /// `None` until the first-start form has been saved.
    pub async fn clinic_profile(&self) -> Result<Option<ClinicProfile>, AppError> {
        Ok(self.store.clinic_profile().await?)
    }

    pub async fn save_clinic_profile(
        &self,
        draft: &ClinicDraft,
    ) -> Result<ClinicProfile, AppError> {
        let profile = validate_clinic(draft).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|e| FieldMessage {
                        field: e.field.key().to_string(),
                        message: e.message,
                    })
                    .collect(),
            )
        })?;
        self.store
            .save_clinic_profile(&profile, &self.actor(), self.clock.now())
            .await?;
        Ok(profile)
    }
}
