//! 退院時カンファレンス of the patient's home-care team: the list, setting
//! one, the clinic's answer and calling one off.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, ConferenceInput, TeamConferences};

pub async fn team_conferences(
    desktop: State<'_, Desktop>,
    team_id: String,
) -> Result<TeamConferences, AppError> {
    Ok(desktop
        .app()
        .await?
        .team_conferences(&team_id)
        .await?
        .into())
}

pub async fn schedule_conference(
    desktop: State<'_, Desktop>,
    team_id: String,
    input: ConferenceInput,
) -> Result<TeamConferences, AppError> {
    Ok(desktop
        .app()
        .await?
        .schedule_conference(&team_id, &input.into())
        .await?
        .into())
}

pub async fn answer_conference(
    desktop: State<'_, Desktop>,
    conference_id: String,
    attendance: String,
) -> Result<TeamConferences, AppError> {
    Ok(desktop
        .app()
        .await?
        .answer_conference(&conference_id, &attendance)
        .await?
        .into())
}

pub async fn cancel_conference(
    desktop: State<'_, Desktop>,
    conference_id: String,
) -> Result<TeamConferences, AppError> {
    Ok(desktop
        .app()
        .await?
        .cancel_conference(&conference_id)
        .await?
        .into())
}
