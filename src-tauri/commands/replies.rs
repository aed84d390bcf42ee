//! Reply letters (返書): the scan is chosen in the OS dialog and read here,
//! in Rust. The webview sees its name and size and a token for it, never a
//! path it could swap for another file.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, State, WebviewWindow};
use tsunagu_app as app;

use crate::commands::files::{ask_open_path, file_error, open_in_viewer, sanitise};
use crate::desktop::Desktop;
use crate::ipc::{AppError, ChosenFile, ErrorCode, FieldError, Referral, ReplyInput};

const SCAN_EXTENSIONS: &[&str] = &["pdf", "png", "jpg", "jpeg", "tif", "tiff"];

/// Files the user picked, by the token handed to the webview.
#[derive(Default)]
pub struct ChosenFiles(Mutex<HashMap<String, PathBuf>>);

impl ChosenFiles {
    /// A new token for `path`; `None` only if the table is unusable.
    pub fn remember(&self, path: PathBuf) -> Option<String> {
        let token = uuid::Uuid::now_v7().to_string();
        self.0.lock().ok()?.insert(token.clone(), path);
        Some(token)
    }

    pub fn path(&self, token: &str) -> Option<PathBuf> {
        self.0.lock().ok()?.get(token).cloned()
    }
}

/// Asks for the scan and checks it (type by content, size ≤ 20 MB) before
/// anything is stored; `None` if the user cancelled.
pub async fn choose_reply_attachment(
    app: AppHandle,
    window: WebviewWindow,
    chosen: State<'_, ChosenFiles>,
) -> Result<Option<ChosenFile>, AppError> {
    let Some(path) = ask_open_path(
        &app,
        window,
        "返書のスキャンを選ぶ",
        "PDF・画像",
        SCAN_EXTENSIONS,
    )
    .await?
    else {
        return Ok(None);
    };
    let file = read_attachment(&path)?;
    let token = chosen
        .remember(path)
        .ok_or_else(|| file_error("ファイルを選び直してください。"))?;
    Ok(Some(ChosenFile {
        token,
        name: file.name,
        size: i32::try_from(file.bytes.len()).unwrap_or(i32::MAX),
    }))
}

pub async fn record_reply(
    desktop: State<'_, Desktop>,
    chosen: State<'_, ChosenFiles>,
    referral_id: String,
    input: ReplyInput,
    attachment: Option<String>,
) -> Result<Referral, AppError> {
    let path = match attachment {
        Some(token) => Some(
            chosen
                .path(&token)
                .ok_or_else(|| file_error("添付するファイルをもう一度選んでください。"))?,
        ),
        None => None,
    };
    let attachment = path.as_deref().map(read_attachment).transpose()?;
    Ok(desktop
        .app()
        .await?
        .record_reply(&referral_id, &input.into(), attachment)
        .await?
        .into())
}

pub async fn open_reply_attachment(
    desktop: State<'_, Desktop>,
    reply_id: String,
) -> Result<(), AppError> {
    let scan = desktop.app().await?.reply_attachment(&reply_id).await?;
    let extension =
        app::AttachmentKind::from_media_type(&scan.media_type).map_or("bin", |k| k.extension());
    open_in_viewer(
        &desktop,
        &format!("reply-{}.{extension}", sanitise(&reply_id)),
        &scan.bytes,
    )
}

/// Reads a chosen file, refusing (before reading it all) one that is too
/// big or is not a PDF or an image.
fn read_attachment(path: &Path) -> Result<app::AttachmentFile, AppError> {
    let unreadable = || {
        file_error(
            "ファイルを読み込めませんでした。ファイルが移動・削除されていないか確認してください。",
        )
    };
    let mut file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let size = file.metadata().map_err(|_| unreadable())?.len();
    let mut head = [0u8; 8];
    let read = file.read(&mut head).map_err(|_| unreadable())?;
    app::check_attachment(size, &head[..read]).map_err(|e| AppError {
        code: ErrorCode::Validation,
        message: format!("{e}。"),
        fields: vec![FieldError {
            field: "attachment".into(),
            message: format!("{e}。"),
        }],
    })?;
    let mut bytes = head[..read].to_vec();
    file.read_to_end(&mut bytes).map_err(|_| unreadable())?;
    Ok(app::AttachmentFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
    })
}
