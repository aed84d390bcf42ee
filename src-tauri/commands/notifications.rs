//! Desktop notifications for worklist items the physician has not been told
//! about: discharged elsewhere, died, overdue. The text names no patient —
//! notifications show on lock screens and in shared notification centres.

use std::collections::BTreeMap;

use tauri::{AppHandle, State};
use tauri_plugin_notification::NotificationExt;

use crate::desktop::Desktop;
use crate::ipc::AppError;

/// Announces new worklist items once each; returns how many were new.
#[tauri::command]
pub async fn announce_new_alerts(
    app: AppHandle,
    desktop: State<'_, Desktop>,
) -> Result<u32, AppError> {
    let fresh = desktop.app()?.new_worklist_alerts().await?;
    if fresh.is_empty() {
        return Ok(0);
    }
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for item in &fresh {
        *counts.entry(item.title.as_str()).or_default() += 1;
    }
    let lines: Vec<String> = counts.iter().map(|(t, n)| format!("{t}：{n}件")).collect();
    let body = format!("{}\n「要確認」で確認してください。", lines.join("\n"));
    // Without a notification service (a headless or minimal session) this
    // fails; the worklist on screen stays the record, so that is fine.
    tauri::async_runtime::spawn_blocking(move || {
        if app
            .notification()
            .builder()
            .title("つなぐ：要確認")
            .body(body)
            .show()
            .is_err()
        {
            eprintln!("tsunagu: desktop notification not shown (no notification service)");
        }
    });
    Ok(u32::try_from(fresh.len()).unwrap_or(u32::MAX))
}
