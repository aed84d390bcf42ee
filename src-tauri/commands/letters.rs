use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{
    AppError, Destination, Destinations, IssuedLetter, LetterDraft, LetterDraftContent, LetterKind,
    PatientLetters,
};

pub async fn start_letter(
    desktop: State<'_, Desktop>,
    patient_id: String,
    kind: LetterKind,
) -> Result<LetterDraft, AppError> {
    Ok(desktop
        .app()
        .await?
        .start_letter(&patient_id, kind.into())
        .await?
        .into())
}

pub async fn save_letter_draft(
    desktop: State<'_, Desktop>,
    draft_id: String,
    content: LetterDraftContent,
) -> Result<LetterDraft, AppError> {
    Ok(desktop
        .app()
        .await?
        .save_letter_draft(&draft_id, &content)
        .await?
        .into())
}

pub async fn get_letter_draft(
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<LetterDraft, AppError> {
    Ok(desktop.app().await?.letter_draft(&draft_id).await?.into())
}

pub async fn discard_letter_draft(
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<(), AppError> {
    Ok(desktop.app().await?.discard_letter_draft(&draft_id).await?)
}

pub async fn patient_letters(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<PatientLetters, AppError> {
    Ok(desktop
        .app()
        .await?
        .patient_letters(&patient_id)
        .await?
        .into())
}

pub async fn issue_letter(
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<IssuedLetter, AppError> {
    Ok(desktop.app().await?.issue_letter(&draft_id).await?.into())
}

pub async fn correct_letter(
    desktop: State<'_, Desktop>,
    letter_id: String,
) -> Result<LetterDraft, AppError> {
    Ok(desktop
        .app()
        .await?
        .correct_letter(&letter_id)
        .await?
        .into())
}

pub async fn letter_destinations(desktop: State<'_, Desktop>) -> Result<Destinations, AppError> {
    Ok(desktop.app().await?.letter_destinations().await?.into())
}

pub async fn set_favourite_destination(
    desktop: State<'_, Desktop>,
    destination: Destination,
    favourite: bool,
) -> Result<Destinations, AppError> {
    Ok(desktop
        .app()
        .await?
        .set_favourite_destination(&destination.into(), favourite)
        .await?
        .into())
}
