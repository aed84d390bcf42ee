//! Issued letters leaving the encrypted store: saved where the user picks
//! in the OS save dialog, or opened in the system PDF viewer to print.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, State, WebviewWindow};

use crate::desktop::Desktop;
use crate::ipc::{AppError, ErrorCode, LetterKind, SavedFile};

/// Letters opened for printing are written here (inside the data folder)
/// and removed at the next start.
pub const PRINT_DIR: &str = "print";

#[tauri::command]
pub async fn save_letter_pdf(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    letter_id: String,
) -> Result<SavedFile, AppError> {
    let core = desktop.app()?;
    let letter: crate::ipc::IssuedLetter = core.letter(&letter_id).await?.into();
    let Some(path) = ask_save_path(&app, window, &suggested_name(&letter)).await? else {
        return Ok(SavedFile { path: None });
    };
    let pdf = core.letter_pdf(&letter_id).await?;
    write_replacing(&path, &pdf).map_err(|_| {
        file_error(
            "PDFを保存できませんでした。保存先に書き込めません（読み取り専用か、容量不足の可能性があります）。\
             別の場所を選んでください。",
        )
    })?;
    Ok(SavedFile {
        path: Some(path.display().to_string()),
    })
}

#[tauri::command]
pub async fn open_letter_pdf(
    desktop: State<'_, Desktop>,
    letter_id: String,
) -> Result<(), AppError> {
    let core = desktop.app()?;
    let pdf = core.letter_pdf(&letter_id).await?;
    let dir = desktop.data_dir().join(PRINT_DIR);
    let path = dir.join(format!("{}.pdf", sanitise(&letter_id)));
    std::fs::create_dir_all(&dir)
        .and_then(|()| write_replacing(&path, &pdf))
        .map_err(|_| {
            file_error(
                "印刷用のPDFを書き出せませんでした。データフォルダの空き容量を確認してください。",
            )
        })?;
    open::that_detached(&path).map_err(|_| {
        file_error(
            "PDFビューアを起動できませんでした。「PDFを保存」で保存してから、保存したファイルを開いて印刷してください。",
        )
    })
}

/// Removes what earlier runs wrote for printing: patient data should not
/// linger outside the encrypted store longer than the print job needs.
pub fn clear_print_files(data_dir: &Path) {
    let _ = std::fs::remove_dir_all(data_dir.join(PRINT_DIR));
}

/// The OS save dialog, parented to the app window. GTK wants its dialogs
/// built on the main thread: the dialog's future is created there and
/// awaited here.
async fn ask_save_path(
    app: &AppHandle,
    window: WebviewWindow,
    file_name: &str,
) -> Result<Option<PathBuf>, AppError> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    let file_name = file_name.to_string();
    app.run_on_main_thread(move || {
        let dialog = rfd::AsyncFileDialog::new()
            .set_parent(&window)
            .set_title("PDFを保存")
            .set_file_name(&file_name)
            .add_filter("PDF", &["pdf"])
            .save_file();
        tauri::async_runtime::spawn(async move {
            let _ = answer.send(dialog.await.map(|handle| handle.path().to_path_buf()));
        });
    })
    .map_err(|_| file_error("保存ダイアログを開けませんでした。もう一度お試しください。"))?;
    let path = chosen
        .await
        .map_err(|_| file_error("保存ダイアログを開けませんでした。もう一度お試しください。"))?;
    Ok(path.map(|p| {
        if p.extension().is_none() {
            p.with_extension("pdf")
        } else {
            p
        }
    }))
}

/// e.g. 診療情報提供書_令和8年5月12日.pdf, 第2版 for corrections. No patient
/// name: file names show up in recent-file lists and backups.
fn suggested_name(letter: &crate::ipc::IssuedLetter) -> String {
    let kind = match letter.kind {
        LetterKind::Referral => "診療情報提供書",
        LetterKind::Discharge => "退院時サマリー",
    };
    let version = if letter.version > 1 {
        format!("_第{}版", letter.version)
    } else {
        String::new()
    };
    format!("{kind}_{}{version}.pdf", letter.issued_on)
}

/// Writes beside the target and renames over it, so a failed write never
/// leaves a truncated PDF under the chosen name.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = path.with_extension("pdf.partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

fn sanitise(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn file_error(message: &str) -> AppError {
    AppError {
        code: ErrorCode::Internal,
        message: message.to_string(),
        fields: Vec::new(),
    }
}
