//! 在宅医療情報連携加算: the patient's monthly records and the clinic's
//! report, on screen or saved as CSV for Excel.

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::{SaveKind, ask_save_path, file_error, save_to};
use crate::desktop::Desktop;
use crate::ipc::{AppError, SavedFile, SharingFeeInput, SharingFeeRecord, SharingFeeReport};

pub async fn patient_sharing_fee(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<Vec<SharingFeeRecord>, AppError> {
    Ok(desktop
        .app()
        .await?
        .sharing_fee_records(&patient_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn record_sharing_fee(
    desktop: State<'_, Desktop>,
    patient_id: String,
    input: SharingFeeInput,
) -> Result<SharingFeeRecord, AppError> {
    Ok(desktop
        .app()
        .await?
        .record_sharing_fee(&patient_id, &input.into())
        .await?
        .into())
}

pub async fn sharing_fee_report(
    desktop: State<'_, Desktop>,
    month: String,
) -> Result<SharingFeeReport, AppError> {
    Ok(desktop
        .app()
        .await?
        .sharing_fee_report(&month)
        .await?
        .into())
}

pub async fn save_sharing_fee_report_csv(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    month: String,
) -> Result<SavedFile, AppError> {
    // Made before the dialog: a month refused is said before asking where.
    let csv = desktop.app().await?.sharing_fee_report_csv(&month).await?;
    let name = format!("在宅医療情報連携加算_{}.csv", month.trim());
    let kind = SaveKind {
        title: "CSVを保存",
        filter: "CSV",
        extension: "csv",
    };
    let Some(path) = ask_save_path(&app, window, &name, kind).await? else {
        return Ok(SavedFile { path: None });
    };
    save_to(&path, csv.as_bytes())
        .map_err(|_| file_error("CSVを保存できませんでした。別の場所を選んでください。"))
}
