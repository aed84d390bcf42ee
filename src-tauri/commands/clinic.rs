use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, ClinicProfile};

pub async fn save_clinic_profile(
    desktop: State<'_, Desktop>,
    profile: ClinicProfile,
) -> Result<ClinicProfile, AppError> {
    Ok(desktop
        .app()
        .await?
        .save_clinic_profile(&profile.into())
        .await?
        .into())
}
