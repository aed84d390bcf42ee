//! 退院後の在宅医療の相談: the requests waiting for the physician, a
//! patient's requests, and the one-click answer.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, DischargeRequest};

pub async fn discharge_requests_waiting(
    desktop: State<'_, Desktop>,
) -> Result<Vec<DischargeRequest>, AppError> {
    Ok(desktop
        .app()
        .await?
        .discharge_requests_waiting()
        .await?
        .into_iter()
        .map(DischargeRequest::from)
        .collect())
}

pub async fn patient_discharge_requests(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<Vec<DischargeRequest>, AppError> {
    Ok(desktop
        .app()
        .await?
        .patient_discharge_requests(&patient_id)
        .await?
        .into_iter()
        .map(DischargeRequest::from)
        .collect())
}

pub async fn answer_discharge_request(
    desktop: State<'_, Desktop>,
    request_id: String,
    answer: String,
    text: String,
) -> Result<DischargeRequest, AppError> {
    Ok(desktop
        .app()
        .await?
        .answer_discharge_request(&request_id, &answer, &text)
        .await?
        .into())
}
