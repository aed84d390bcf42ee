//! What the window shows first: the app, the start choice on a PC with no
//! store yet (新しく始める / バックアップから復元), or why the store did
//! not open. The backup file is chosen in the OS dialog here, in Rust; the
//! webview holds only a token for it.

use tauri::{AppHandle, State, WebviewWindow};

use crate::background_sync::SyncTrigger;
use crate::commands::files::{ask_open_path, file_error};
use crate::commands::replies::ChosenFiles;
use crate::desktop::Desktop;
use crate::ipc::{AppError, ChosenBackup, StartupState};

pub async fn get_startup_state(desktop: State<'_, Desktop>) -> Result<StartupState, AppError> {
    let data_dir = desktop.data_dir().display().to_string();
    if desktop.awaits_creation() {
        return Ok(StartupState::New { data_dir });
    }
    Ok(match desktop.core() {
        Ok(app) => StartupState::Ready {
            clinic: app.clinic_profile().await?.map(Into::into),
            data_dir,
        },
        Err(error) => StartupState::Failed { error, data_dir },
    })
}

/// 新しく始める: an empty store, then the clinic's profile.
pub async fn start_new_store(
    desktop: State<'_, Desktop>,
    trigger: State<'_, SyncTrigger>,
) -> Result<StartupState, AppError> {
    let core = desktop.create_new().await?;
    crate::start_background_work(core, &trigger);
    get_startup_state(desktop).await
}

/// The OS open dialog for a backup file; `None` when cancelled. The file's
/// header is read (no passphrase needed) to show when it was made.
pub async fn choose_backup_file(
    app: AppHandle,
    window: WebviewWindow,
    chosen: State<'_, ChosenFiles>,
) -> Result<Option<ChosenBackup>, AppError> {
    let Some(path) = ask_open_path(
        &app,
        window,
        "バックアップファイルを選ぶ",
        "つなぐのバックアップ",
        &[tsunagu_app::BACKUP_EXTENSION],
    )
    .await?
    else {
        return Ok(None);
    };
    let made_at = tsunagu_app::backup_made_at(&path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = chosen.remember(path).ok_or_else(choose_again)?;
    Ok(Some(ChosenBackup {
        token,
        name,
        made_at,
    }))
}

/// Restores the chosen backup with the recovery passphrase; the app then
/// opens on the restored data and carries on syncing as the old PC did.
pub async fn restore_from_backup(
    desktop: State<'_, Desktop>,
    chosen: State<'_, ChosenFiles>,
    trigger: State<'_, SyncTrigger>,
    backup: String,
    passphrase: String,
) -> Result<StartupState, AppError> {
    let path = chosen.path(&backup).ok_or_else(choose_again)?;
    let core = desktop.restore(&path, &passphrase).await?;
    crate::start_background_work(core, &trigger);
    trigger.wake();
    get_startup_state(desktop).await
}

fn choose_again() -> AppError {
    file_error("バックアップファイルをもう一度選んでください。")
}
