//! The regional server: enrollment and the connection check. The device
//! secret stays in Rust and the keyring; the webview sees names and dates.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, EnrollInput, SyncStatus};

#[tauri::command]
pub async fn sync_status(desktop: State<'_, Desktop>) -> Result<Option<SyncStatus>, AppError> {
    Ok(desktop.app()?.sync_status().await?.map(Into::into))
}

#[tauri::command]
pub async fn enroll_device(
    desktop: State<'_, Desktop>,
    input: EnrollInput,
) -> Result<SyncStatus, AppError> {
    Ok(desktop
        .app()?
        .enroll(&input.server_url, &input.code, &input.device_name)
        .await?
        .into())
}

/// The organisation the server knows this device by.
#[tauri::command]
pub async fn check_connection(desktop: State<'_, Desktop>) -> Result<String, AppError> {
    Ok(desktop.app()?.check_connection().await?)
}
