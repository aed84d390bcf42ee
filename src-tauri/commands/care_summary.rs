//! 医療・介護連携サマリー and the emergency sheet printed from it.

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::{PDF, ask_save_path, open_in_viewer, save_to};
use crate::desktop::Desktop;
use crate::ipc::{AppError, CareSummary, CareSummaryInput, SavedCareSummary, SavedFile};

pub async fn patient_care_summary(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<Option<CareSummary>, AppError> {
    Ok(desktop
        .app()
        .await?
        .care_summary(&patient_id)
        .await?
        .map(Into::into))
}

pub async fn save_care_summary(
    desktop: State<'_, Desktop>,
    patient_id: String,
    input: CareSummaryInput,
) -> Result<SavedCareSummary, AppError> {
    Ok(desktop
        .app()
        .await?
        .save_care_summary(&patient_id, &input.into())
        .await?
        .into())
}

/// Opens the 救急医療情報 in the system viewer, to print.
pub async fn open_emergency_sheet(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<(), AppError> {
    let pdf = desktop
        .app()
        .await?
        .emergency_sheet_pdf(&patient_id)
        .await?;
    open_in_viewer(&desktop, "emergency-sheet.pdf", &pdf)
}

pub async fn save_emergency_sheet(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<SavedFile, AppError> {
    let pdf = desktop
        .app()
        .await?
        .emergency_sheet_pdf(&patient_id)
        .await?;
    let Some(path) = ask_save_path(&app, window, "救急医療情報.pdf", PDF).await? else {
        return Ok(SavedFile { path: None });
    };
    save_to(&path, &pdf)
}
