use tauri::State;

use crate::commands::notifications::announce_new_alerts;
use crate::desktop::Desktop;
use crate::ipc::{
    AppError, Board, BoardFilter, EventInput, PatientReferrals, Referral, Worklist,
    WorklistSettings,
};

pub async fn patient_referrals(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<PatientReferrals, AppError> {
    let app = desktop.app().await?;
    Ok(PatientReferrals {
        where_now: app.patient_where_now(&patient_id).await?,
        referrals: app
            .patient_referrals(&patient_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

pub async fn referral_board(
    desktop: State<'_, Desktop>,
    filter: BoardFilter,
) -> Result<Board, AppError> {
    Ok(desktop.app().await?.referral_board(&filter).await?.into())
}

pub async fn record_referral_event(
    desktop: State<'_, Desktop>,
    referral_id: String,
    input: EventInput,
) -> Result<Referral, AppError> {
    Ok(desktop
        .app()
        .await?
        .record_referral_event(&referral_id, &input)
        .await?
        .into())
}

pub async fn void_referral_event(
    desktop: State<'_, Desktop>,
    referral_id: String,
    event_id: String,
    reason: String,
) -> Result<Referral, AppError> {
    Ok(desktop
        .app()
        .await?
        .void_referral_event(&referral_id, &event_id, &reason)
        .await?
        .into())
}

/// The worklist; items not announced before are then announced by a
/// desktop notification (in the background: the list does not wait).
pub async fn worklist(desktop: State<'_, Desktop>) -> Result<Worklist, AppError> {
    let app = desktop.app().await?;
    let page = app.worklist_page().await?;
    tauri::async_runtime::spawn(announce_new_alerts(app.clone()));
    Ok(page.into())
}

pub async fn dismiss_worklist_item(
    desktop: State<'_, Desktop>,
    referral_id: String,
    key: String,
    reason: String,
) -> Result<Worklist, AppError> {
    Ok(desktop
        .app()
        .await?
        .dismiss_worklist_item(&referral_id, &key, &reason)
        .await?
        .into())
}

pub async fn worklist_settings(desktop: State<'_, Desktop>) -> Result<WorklistSettings, AppError> {
    Ok(desktop.app().await?.worklist_settings().await?)
}

pub async fn save_worklist_settings(
    desktop: State<'_, Desktop>,
    settings: WorklistSettings,
) -> Result<WorklistSettings, AppError> {
    Ok(desktop
        .app()
        .await?
        .save_worklist_settings(settings)
        .await?)
}
