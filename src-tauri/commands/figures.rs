//! Loop figures (連携の実績): shown in the app, or saved as CSV for Excel.

use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::files::{SaveKind, ask_save_path, file_error, save_to};
use crate::desktop::Desktop;
use crate::ipc::{AppError, FiguresPeriod, LoopFigures, SavedFile};

pub async fn loop_figures(
    desktop: State<'_, Desktop>,
    period: FiguresPeriod,
) -> Result<LoopFigures, AppError> {
    Ok(desktop.app().await?.loop_figures(&period).await?.into())
}

pub async fn save_loop_figures_csv(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    period: FiguresPeriod,
) -> Result<SavedFile, AppError> {
    let figures = desktop.app().await?.loop_figures(&period).await?;
    let csv = figures.to_csv()?;
    let name = format!("連携の実績_{}_{}.csv", figures.from, figures.to);
    let kind = SaveKind {
        title: "CSVを保存",
        filter: "CSV",
        extension: "csv",
    };
    let Some(path) = ask_save_path(&app, window, &name, kind).await? else {
        return Ok(SavedFile { path: None });
    };
    save_to(&path, &csv)
        .map_err(|_| file_error("CSVを保存できませんでした。別の場所を選んでください。"))
}
