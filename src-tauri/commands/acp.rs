//! ACP (人生会議) on the patient page.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AcpHistory, AcpInput, AppError, RecordedAcp};

pub async fn patient_acp(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<AcpHistory, AppError> {
    Ok(desktop.app().await?.acp_history(&patient_id).await?.into())
}

pub async fn record_acp(
    desktop: State<'_, Desktop>,
    patient_id: String,
    input: AcpInput,
) -> Result<RecordedAcp, AppError> {
    Ok(desktop
        .app()
        .await?
        .record_acp(&patient_id, &input.into())
        .await?
        .into())
}
