use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, BirthDatePreview, Patient, PatientInput, SearchResult};

pub async fn search_patients(
    desktop: State<'_, Desktop>,
    query: String,
    include_deleted: bool,
) -> Result<SearchResult, AppError> {
    Ok(desktop
        .app()
        .await?
        .search_patients(&query, include_deleted)
        .await?
        .into())
}

pub async fn get_patient(desktop: State<'_, Desktop>, id: String) -> Result<Patient, AppError> {
    Ok(desktop.app().await?.open_patient(&id).await?.into())
}

pub async fn create_patient(
    desktop: State<'_, Desktop>,
    input: PatientInput,
) -> Result<Patient, AppError> {
    Ok(desktop
        .app()
        .await?
        .create_patient(&input.into())
        .await?
        .into())
}

pub async fn update_patient(
    desktop: State<'_, Desktop>,
    id: String,
    input: PatientInput,
) -> Result<Patient, AppError> {
    Ok(desktop
        .app()
        .await?
        .update_patient(&id, &input.into())
        .await?
        .into())
}

pub async fn delete_patient(desktop: State<'_, Desktop>, id: String) -> Result<Patient, AppError> {
    Ok(desktop.app().await?.delete_patient(&id).await?.into())
}

pub async fn restore_patient(desktop: State<'_, Desktop>, id: String) -> Result<Patient, AppError> {
    Ok(desktop.app().await?.restore_patient(&id).await?.into())
}

pub async fn preview_birth_date(
    desktop: State<'_, Desktop>,
    input: String,
) -> Result<BirthDatePreview, AppError> {
    Ok(desktop.app().await?.preview_birth_date(&input)?.into())
}
