use std::io::Read;
use std::path::Path;

use tauri::{AppHandle, State, WebviewWindow};
use tsunagu_app::MAX_LAB_CSV_BYTES;

use crate::commands::files::{ask_open_path, file_error};
use crate::desktop::Desktop;
use crate::ipc::{
    AppError, Destination, Destinations, ErrorCode, FieldError, IssuedLetter, LetterDraft,
    LetterDraftContent, LetterKind, PatientLetters,
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

/// 「CSVから読み込む」: the lab system's export is chosen in the OS dialog
/// and read here, in Rust; `None` when the user cancelled.
pub async fn import_lab_csv(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    draft_id: String,
) -> Result<Option<LetterDraft>, AppError> {
    let Some(path) = ask_open_path(
        &app,
        window,
        "検査結果の CSV を選ぶ",
        "CSV",
        &["csv", "txt"],
    )
    .await?
    else {
        return Ok(None);
    };
    let bytes = read_lab_csv(&path)?;
    Ok(Some(
        desktop
            .app()
            .await?
            .import_lab_csv(&draft_id, &bytes)
            .await?
            .into(),
    ))
}

/// Reads the chosen file, refusing one too large to be lab results before
/// reading it.
fn read_lab_csv(path: &Path) -> Result<Vec<u8>, AppError> {
    let unreadable = || {
        file_error(
            "ファイルを読み込めませんでした。ファイルが移動・削除されていないか確認してください。",
        )
    };
    let file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let size = file.metadata().map_err(|_| unreadable())?.len();
    if size > MAX_LAB_CSV_BYTES {
        let message = "ファイルが大きすぎます（検査結果の CSV は 1 MB まで）。";
        return Err(AppError {
            code: ErrorCode::Validation,
            message: message.into(),
            fields: vec![FieldError {
                field: "labResults".into(),
                message: message.into(),
            }],
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_LAB_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable())?;
    Ok(bytes)
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
