use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, StartupState};

pub async fn get_startup_state(desktop: State<'_, Desktop>) -> Result<StartupState, AppError> {
    let data_dir = desktop.data_dir().display().to_string();
    Ok(match desktop.app() {
        Ok(app) => StartupState::Ready {
            clinic: app.clinic_profile().await?.map(Into::into),
            data_dir,
        },
        Err(error) => StartupState::Failed { error, data_dir },
    })
}
