//! The regional server: enrollment and the connection check. The device
//! secret stays in Rust and the keyring; the webview sees names and dates.

use tauri::State;

use crate::background_sync::SyncTrigger;
use crate::desktop::Desktop;
use crate::ipc::{AppError, EnrollInput, SyncConflict, SyncReport, SyncState, SyncStatus};

pub async fn sync_status(desktop: State<'_, Desktop>) -> Result<Option<SyncStatus>, AppError> {
    Ok(desktop.app().await?.sync_status().await?.map(Into::into))
}

pub async fn enroll_device(
    desktop: State<'_, Desktop>,
    trigger: State<'_, SyncTrigger>,
    input: EnrollInput,
) -> Result<SyncStatus, AppError> {
    let enrolled = desktop
        .app()
        .await?
        .enroll(&input.server_url, &input.code, &input.device_name)
        .await?;
    // The first exchange now, not at the next tick.
    trigger.wake();
    Ok(enrolled.into())
}

/// The organisation the server knows this device by.
pub async fn check_connection(desktop: State<'_, Desktop>) -> Result<String, AppError> {
    Ok(desktop.app().await?.check_connection().await?)
}

/// 最終同期 and the changes not yet sent; `None` before enrollment.
pub async fn sync_state(desktop: State<'_, Desktop>) -> Result<Option<SyncState>, AppError> {
    Ok(desktop.app().await?.sync_state().await?.map(Into::into))
}

/// 今すぐ同期: one exchange now (it waits for a background one in progress).
pub async fn sync_now(desktop: State<'_, Desktop>) -> Result<SyncReport, AppError> {
    let app = desktop.app().await?;
    let report = app.sync_now().await?;
    crate::commands::notifications::announce_team(&report);
    if report.news + report.discharge_requests + report.intake_requests > 0 {
        crate::commands::notifications::announce_new_alerts(app.clone()).await;
    }
    Ok(report.into())
}

pub async fn sync_conflicts(desktop: State<'_, Desktop>) -> Result<Vec<SyncConflict>, AppError> {
    Ok(desktop
        .app()
        .await?
        .sync_conflicts()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}
