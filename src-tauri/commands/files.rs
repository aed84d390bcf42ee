//! Files crossing the encrypted store's edge: issued letters and exports
//! saved where the user picks in the OS save dialog, scans chosen in the
//! OS open dialog, and documents opened in the system viewer to print.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, State, WebviewWindow};

use crate::desktop::Desktop;
use crate::ipc::{AppError, ErrorCode, LetterKind, SavedFile};

/// Letters opened for printing are written here (inside the data folder)
/// and removed at the next start.
pub const PRINT_DIR: &str = "print";

pub async fn save_letter_pdf(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    letter_id: String,
) -> Result<SavedFile, AppError> {
    let core = desktop.app().await?;
    let letter: crate::ipc::IssuedLetter = core.letter(&letter_id).await?.into();
    let Some(path) = ask_save_path(&app, window, &suggested_name(&letter), PDF).await? else {
        return Ok(SavedFile { path: None });
    };
    let pdf = core.letter_pdf(&letter_id).await?;
    save_to(&path, &pdf)
}

/// What a save dialog offers: its title and the one file type.
pub struct SaveKind {
    pub title: &'static str,
    pub filter: &'static str,
    pub extension: &'static str,
}

pub const PDF: SaveKind = SaveKind {
    title: "PDFを保存",
    filter: "PDF",
    extension: "pdf",
};

/// Writes `bytes` where the user chose, or says in Japanese why it could not.
pub fn save_to(path: &Path, bytes: &[u8]) -> Result<SavedFile, AppError> {
    write_replacing(path, bytes).map_err(|_| {
        file_error(
            "ファイルを保存できませんでした。保存先に書き込めません（読み取り専用か、容量不足の可能性があります）。\
             別の場所を選んでください。",
        )
    })?;
    Ok(SavedFile {
        path: Some(path.display().to_string()),
    })
}

pub async fn open_letter_pdf(
    desktop: State<'_, Desktop>,
    letter_id: String,
) -> Result<(), AppError> {
    let core = desktop.app().await?;
    let pdf = core.letter_pdf(&letter_id).await?;
    open_in_viewer(&desktop, &format!("{}.pdf", sanitise(&letter_id)), &pdf)
}

/// Writes a document to the print folder (cleared at the next start) and
/// opens it in the system viewer.
pub fn open_in_viewer(desktop: &Desktop, file_name: &str, bytes: &[u8]) -> Result<(), AppError> {
    let dir = desktop.data_dir().join(PRINT_DIR);
    let path = dir.join(file_name);
    std::fs::create_dir_all(&dir)
        .and_then(|()| write_replacing(&path, bytes))
        .map_err(|_| {
            file_error(
                "表示用のファイルを書き出せませんでした。データフォルダの空き容量を確認してください。",
            )
        })?;
    open::that_detached(&path).map_err(|_| {
        file_error(
            "ファイルを開くアプリ（PDFビューア・画像ビューア）を起動できませんでした。\
             PDFは「PDFを保存」で保存してから開いてください。",
        )
    })
}

/// Removes what earlier runs wrote for printing: patient data should not
/// linger outside the encrypted store longer than the print job needs.
pub fn clear_print_files(data_dir: &Path) {
    let _ = std::fs::remove_dir_all(data_dir.join(PRINT_DIR));
}

/// The OS save dialog, parented to the app window.
pub async fn ask_save_path(
    app: &AppHandle,
    window: WebviewWindow,
    file_name: &str,
    kind: SaveKind,
) -> Result<Option<PathBuf>, AppError> {
    let file_name = file_name.to_string();
    let path = on_main_thread(app, move || {
        rfd::AsyncFileDialog::new()
            .set_parent(&window)
            .set_title(kind.title)
            .set_file_name(&file_name)
            .add_filter(kind.filter, &[kind.extension])
            .save_file()
    })
    .await?;
    Ok(path.map(|p| {
        if p.extension().is_none() {
            p.with_extension(kind.extension)
        } else {
            p
        }
    }))
}

/// The OS open dialog for one file, parented to the app window.
pub async fn ask_open_path(
    app: &AppHandle,
    window: WebviewWindow,
    title: &'static str,
    filter: &'static str,
    extensions: &'static [&'static str],
) -> Result<Option<PathBuf>, AppError> {
    on_main_thread(app, move || {
        rfd::AsyncFileDialog::new()
            .set_parent(&window)
            .set_title(title)
            .add_filter(filter, extensions)
            .pick_file()
    })
    .await
}

/// The OS folder dialog, parented to the app window.
pub async fn ask_folder_path(
    app: &AppHandle,
    window: WebviewWindow,
    title: &'static str,
) -> Result<Option<PathBuf>, AppError> {
    on_main_thread(app, move || {
        rfd::AsyncFileDialog::new()
            .set_parent(&window)
            .set_title(title)
            .pick_folder()
    })
    .await
}

/// GTK wants its dialogs built on the main thread: the dialog's future is
/// created there and awaited here.
async fn on_main_thread<F>(
    app: &AppHandle,
    dialog: impl FnOnce() -> F + Send + 'static,
) -> Result<Option<PathBuf>, AppError>
where
    F: std::future::Future<Output = Option<rfd::FileHandle>> + Send + 'static,
{
    let (answer, chosen) = tokio::sync::oneshot::channel();
    let failed = || file_error("ファイルのダイアログを開けませんでした。もう一度お試しください。");
    app.run_on_main_thread(move || {
        let pending = dialog();
        tauri::async_runtime::spawn(async move {
            let _ = answer.send(pending.await.map(|handle| handle.path().to_path_buf()));
        });
    })
    .map_err(|_| failed())?;
    chosen.await.map_err(|_| failed())
}

/// e.g. 診療情報提供書_令和8年5月12日.pdf, 第2版 for corrections. No patient
/// name: file names show up in recent-file lists and backups.
pub fn suggested_name(letter: &crate::ipc::IssuedLetter) -> String {
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
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

pub fn sanitise(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

pub fn file_error(message: &str) -> AppError {
    AppError {
        code: ErrorCode::Internal,
        message: message.to_string(),
        fields: Vec::new(),
    }
}
