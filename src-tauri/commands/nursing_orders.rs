//! 訪問看護指示書 on the patient page: write, issue, print, save, renew.

use tauri::{AppHandle, State, WebviewWindow};

use super::files::{PDF, ask_save_path, open_in_viewer, save_to};
use crate::desktop::Desktop;
use crate::ipc::{
    AppError, IssuedNursingOrder, NursingOrder, NursingOrderDraft, NursingOrderInput,
    NursingOrderStations, PatientNursingOrders, SavedFile,
};
use tsunagu_app as app;

pub async fn patient_nursing_orders(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<PatientNursingOrders, AppError> {
    Ok(desktop
        .app()
        .await?
        .nursing_orders(&patient_id)
        .await?
        .into())
}

pub async fn nursing_order_stations(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<NursingOrderStations, AppError> {
    Ok(desktop
        .app()
        .await?
        .nursing_order_stations(&patient_id)
        .await?
        .into())
}

pub async fn start_nursing_order(
    desktop: State<'_, Desktop>,
    patient_id: String,
    kind: String,
) -> Result<NursingOrderDraft, AppError> {
    let kind = app::OrderKind::from_code(&kind).ok_or_else(|| {
        AppError::from(app::AppError::new(
            app::ErrorCode::Validation,
            "指示書の種類が正しくありません。",
        ))
    })?;
    Ok(desktop
        .app()
        .await?
        .start_nursing_order(&patient_id, kind)
        .await?
        .into())
}

pub async fn save_nursing_order_draft(
    desktop: State<'_, Desktop>,
    draft_id: String,
    input: NursingOrderInput,
) -> Result<NursingOrderDraft, AppError> {
    Ok(desktop
        .app()
        .await?
        .save_nursing_order_draft(&draft_id, &input.into())
        .await?
        .into())
}

pub async fn get_nursing_order_draft(
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<NursingOrderDraft, AppError> {
    Ok(desktop
        .app()
        .await?
        .nursing_order_draft(&draft_id)
        .await?
        .into())
}

pub async fn discard_nursing_order_draft(
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<(), AppError> {
    Ok(desktop
        .app()
        .await?
        .discard_nursing_order_draft(&draft_id)
        .await?)
}

pub async fn issue_nursing_order(
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<IssuedNursingOrder, AppError> {
    Ok(desktop
        .app()
        .await?
        .issue_nursing_order(&draft_id)
        .await?
        .into())
}

pub async fn renew_nursing_order(
    desktop: State<'_, Desktop>,
    order_id: String,
) -> Result<NursingOrderDraft, AppError> {
    Ok(desktop
        .app()
        .await?
        .renew_nursing_order(&order_id)
        .await?
        .into())
}

/// 「更新しない」: the order ends with its period, for the reason given.
pub async fn end_nursing_order(
    desktop: State<'_, Desktop>,
    order_id: String,
    reason: String,
) -> Result<NursingOrder, AppError> {
    Ok(desktop
        .app()
        .await?
        .end_nursing_order(&order_id, &reason)
        .await?
        .into())
}

pub async fn open_nursing_order_pdf(
    desktop: State<'_, Desktop>,
    order_id: String,
) -> Result<(), AppError> {
    let pdf = desktop.app().await?.nursing_order_pdf(&order_id).await?;
    open_in_viewer(&desktop, "nursing-order.pdf", &pdf)
}

pub async fn save_nursing_order_pdf(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    order_id: String,
) -> Result<SavedFile, AppError> {
    let core = desktop.app().await?;
    let order: NursingOrder = core.nursing_order(&order_id).await?.into();
    let Some(path) = ask_save_path(&app, window, &suggested_name(&order), PDF).await? else {
        return Ok(SavedFile { path: None });
    };
    let pdf = core.nursing_order_pdf(&order_id).await?;
    save_to(&path, &pdf)
}

/// e.g. 訪問看護指示書_令和8年12月1日.pdf (no patient name, as letters).
fn suggested_name(order: &NursingOrder) -> String {
    format!("{}_{}.pdf", order.kind_label, order.issued_on_label)
}
