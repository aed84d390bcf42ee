//! 地域の機関をさがす: the directory's search on this PC's copy.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{AppError, DirectoryResults, DirectorySearchInput};

pub async fn search_directory(
    desktop: State<'_, Desktop>,
    query: DirectorySearchInput,
) -> Result<DirectoryResults, AppError> {
    Ok(desktop
        .app()
        .await?
        .search_directory(&query.into())
        .await?
        .into())
}

pub async fn directory_municipalities(
    desktop: State<'_, Desktop>,
) -> Result<Vec<String>, AppError> {
    Ok(desktop.app().await?.directory_municipalities().await?)
}

pub async fn directory_area_of(
    desktop: State<'_, Desktop>,
    address: String,
) -> Result<Option<String>, AppError> {
    Ok(desktop.app().await?.directory_area_of(&address).await?)
}
