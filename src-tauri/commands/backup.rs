//! Backups from the settings screen. The folder is chosen in the OS dialog
//! here, in Rust; the passphrase arrives once and is not kept or returned.

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::ask_folder_path;
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
