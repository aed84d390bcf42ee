//! Backups from the settings screen. The folder is chosen in the OS dialog
//! here, in Rust; the passphrase arrives once and is not kept or returned.

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::{ask_folder_path, open_in_viewer};
use crate::desktop::Desktop;
use crate::ipc::{AppError, BackupStatus};

pub async fn backup_status(desktop: State<'_, Desktop>) -> Result<BackupStatus, AppError> {
    Ok(desktop.app().await?.backup_view().await?.into())
}

pub async fn set_backup_passphrase(
    desktop: State<'_, Desktop>,
    passphrase: String,
) -> Result<BackupStatus, AppError> {
    Ok(desktop
        .app()
        .await?
        .set_backup_passphrase(&passphrase)
        .await?
        .into())
}

/// The OS folder dialog; unchanged status when cancelled.
pub async fn choose_backup_folder(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
) -> Result<BackupStatus, AppError> {
    let core = desktop.app().await?;
    let Some(folder) = ask_folder_path(&app, window, "バックアップ先のフォルダを選ぶ").await?
    else {
        return Ok(core.backup_view().await?.into());
    };
    Ok(core.set_backup_folder(&folder).await?.into())
}

pub async fn backup_now(desktop: State<'_, Desktop>) -> Result<BackupStatus, AppError> {
    Ok(desktop.app().await?.backup_now().await?.into())
}

/// A new recovery passphrase, the current one checked first.
pub async fn change_backup_passphrase(
    desktop: State<'_, Desktop>,
    current_passphrase: String,
    passphrase: String,
) -> Result<BackupStatus, AppError> {
    Ok(desktop
        .app()
        .await?
        .change_backup_passphrase(&current_passphrase, &passphrase)
        .await?
        .into())
}

/// Opens the recovery sheet in the system viewer, to print; with the
/// passphrase printed on it when given (checked first). The file is in
/// the print folder, emptied at the next start.
pub async fn open_recovery_sheet(
    desktop: State<'_, Desktop>,
    passphrase: Option<String>,
) -> Result<(), AppError> {
    let pdf = desktop
        .app()
        .await?
        .recovery_sheet_pdf(passphrase.as_deref())
        .await?;
    open_in_viewer(&desktop, "recovery-sheet.pdf", &pdf)
}
