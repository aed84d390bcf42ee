//! 受入相談: the form (filled in from a patient), sending, the list of
//! requests sent and asked, the doctor's one-click answer and withdrawal.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, IntakeFormStart, IntakeInput, IntakeRequest};

pub async fn intake_form(
    desktop: State<'_, Desktop>,
    patient_id: Option<String>,
) -> Result<IntakeFormStart, AppError> {
    Ok(desktop
        .app()
        .await?
        .intake_draft(patient_id.as_deref())
        .await?
        .into())
}

pub async fn send_intake(
    desktop: State<'_, Desktop>,
    patient_id: Option<String>,
    to_org: String,
    input: IntakeInput,
) -> Result<IntakeRequest, AppError> {
    Ok(desktop
        .app()
        .await?
        .send_intake(patient_id.as_deref(), &to_org, &input.into())
        .await?
        .into())
}

pub async fn intakes(desktop: State<'_, Desktop>) -> Result<Vec<IntakeRequest>, AppError> {
    Ok(desktop
        .app()
        .await?
        .intakes()
        .await?
        .into_iter()
        .map(IntakeRequest::from)
        .collect())
}

pub async fn answer_intake(
    desktop: State<'_, Desktop>,
    request_id: String,
    answer: String,
    text: String,
) -> Result<IntakeRequest, AppError> {
    Ok(desktop
        .app()
        .await?
        .answer_intake(&request_id, &answer, &text)
        .await?
        .into())
}

pub async fn withdraw_intake(
    desktop: State<'_, Desktop>,
    request_id: String,
) -> Result<IntakeRequest, AppError> {
    Ok(desktop
        .app()
        .await?
        .withdraw_intake(&request_id)
        .await?
        .into())
}
