//! The patient's consent to share with the region, and its 同意書.

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::{PDF, ask_save_path, open_in_viewer, save_to};
use crate::desktop::Desktop;
use crate::ipc::{AppError, Consent, ConsentInput, RegionalHospital, SavedFile};

pub async fn patient_consents(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<Vec<Consent>, AppError> {
    Ok(desktop
        .app()
        .await?
        .consents(&patient_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The hospitals the consent form offers for 事前登録.
pub async fn preregistration_hospitals(
    desktop: State<'_, Desktop>,
) -> Result<Vec<RegionalHospital>, AppError> {
    Ok(desktop
        .app()
        .await?
        .preregistration_hospitals()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Records a consent (`consent_id` absent) or changes or withdraws one.
pub async fn save_consent(
    desktop: State<'_, Desktop>,
    patient_id: String,
    consent_id: Option<String>,
    input: ConsentInput,
) -> Result<Consent, AppError> {
    Ok(desktop
        .app()
        .await?
        .save_team_consent(&patient_id, consent_id.as_deref(), &input.into())
        .await?
        .into())
}

/// Opens the 同意書 in the system viewer, to print.
pub async fn open_consent_form(
    desktop: State<'_, Desktop>,
    consent_id: String,
) -> Result<(), AppError> {
    let pdf = desktop.app().await?.consent_form_pdf(&consent_id).await?;
    open_in_viewer(&desktop, "consent-form.pdf", &pdf)
}

pub async fn save_consent_form(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    consent_id: String,
) -> Result<SavedFile, AppError> {
    let pdf = desktop.app().await?.consent_form_pdf(&consent_id).await?;
    let Some(path) = ask_save_path(&app, window, "同意書.pdf", PDF).await? else {
        return Ok(SavedFile { path: None });
    };
    save_to(&path, &pdf)
}
