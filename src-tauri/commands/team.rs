//! The home-care team and its timeline. Files to attach are chosen in the
//! OS dialog and read here, in Rust: the webview sees a token, a name and
//! a size, never a path it could swap for another file.

use std::io::Read;
use std::path::Path;

use tauri::{AppHandle, State, WebviewWindow};
use tsunagu_app as app;

use crate::commands::files::{
    SaveKind, ask_open_path, ask_save_path, file_error, open_in_viewer, sanitise, save_to,
};
use crate::commands::replies::ChosenFiles;
use crate::desktop::Desktop;
use crate::ipc::{
    AppError, ChosenFile, DirectoryOrganisation, ErrorCode, FamilyContactInput, FieldError,
    InviteInput, PostInput, SavedFile, TeamBadge, TeamPanel, TeamTimeline,
};

const FILE_EXTENSIONS: &[&str] = &["pdf", "png", "jpg", "jpeg", "jpe"];

pub async fn patient_team(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<TeamPanel, AppError> {
    Ok(desktop.app().await?.patient_team(&patient_id).await?.into())
}

pub async fn start_team(
    desktop: State<'_, Desktop>,
    patient_id: String,
) -> Result<TeamPanel, AppError> {
    Ok(desktop.app().await?.start_team(&patient_id).await?.into())
}

pub async fn team_directory(
    desktop: State<'_, Desktop>,
) -> Result<Vec<DirectoryOrganisation>, AppError> {
    Ok(desktop
        .app()
        .await?
        .team_directory()
        .await?
        .into_iter()
        .map(DirectoryOrganisation::from)
        .collect())
}

pub async fn invite_to_team(
    desktop: State<'_, Desktop>,
    team_id: String,
    input: InviteInput,
) -> Result<TeamPanel, AppError> {
    Ok(desktop
        .app()
        .await?
        .invite_to_team(&team_id, &input.into())
        .await?
        .into())
}

pub async fn team_member_action(
    desktop: State<'_, Desktop>,
    team_id: String,
    member_id: String,
    action: String,
) -> Result<TeamPanel, AppError> {
    Ok(desktop
        .app()
        .await?
        .team_member_action(&team_id, &member_id, &action)
        .await?
        .into())
}

pub async fn add_family_contact(
    desktop: State<'_, Desktop>,
    team_id: String,
    input: FamilyContactInput,
) -> Result<TeamPanel, AppError> {
    Ok(desktop
        .app()
        .await?
        .add_family_contact(&team_id, &input.into())
        .await?
        .into())
}

pub async fn set_first_contact(
    desktop: State<'_, Desktop>,
    team_id: String,
    member_id: String,
    topic: String,
) -> Result<TeamPanel, AppError> {
    Ok(desktop
        .app()
        .await?
        .set_first_contact(&team_id, &member_id, &topic)
        .await?
        .into())
}

pub async fn team_timeline(
    desktop: State<'_, Desktop>,
    team_id: String,
) -> Result<TeamTimeline, AppError> {
    Ok(desktop.app().await?.team_timeline(&team_id).await?.into())
}

pub async fn mark_team_read(desktop: State<'_, Desktop>, team_id: String) -> Result<(), AppError> {
    desktop.app().await?.mark_team_read(&team_id).await?;
    Ok(())
}

/// Asks for a photo or a PDF and checks it (by content, name and size)
/// before anything is stored; `None` if the user cancelled.
pub async fn choose_team_attachment(
    app: AppHandle,
    window: WebviewWindow,
    chosen: State<'_, ChosenFiles>,
) -> Result<Option<ChosenFile>, AppError> {
    let Some(path) = ask_open_path(
        &app,
        window,
        "添付するファイルを選ぶ",
        "写真・PDF",
        FILE_EXTENSIONS,
    )
    .await?
    else {
        return Ok(None);
    };
    let file = read_team_file(&path)?;
    let size = i32::try_from(file.bytes.len()).unwrap_or(i32::MAX);
    let token = chosen
        .remember(path)
        .ok_or_else(|| file_error("ファイルを選び直してください。"))?;
    Ok(Some(ChosenFile {
        token,
        name: file.name,
        size,
    }))
}

/// Posts, with the chosen files' tokens.
pub async fn post_to_team(
    desktop: State<'_, Desktop>,
    chosen: State<'_, ChosenFiles>,
    team_id: String,
    input: PostInput,
    attachments: Vec<String>,
) -> Result<TeamTimeline, AppError> {
    let mut files = Vec::with_capacity(attachments.len());
    for token in attachments {
        let path = chosen
            .path(&token)
            .ok_or_else(|| file_error("添付するファイルをもう一度選んでください。"))?;
        files.push(read_team_file(&path)?);
    }
    let core = desktop.app().await?;
    core.post_to_team(&team_id, &input.into(), files).await?;
    Ok(core.team_timeline(&team_id).await?.into())
}

pub async fn acknowledge_team_entry(
    desktop: State<'_, Desktop>,
    team_id: String,
    entry_id: String,
) -> Result<TeamTimeline, AppError> {
    let core = desktop.app().await?;
    core.acknowledge_team_entry(&team_id, &entry_id).await?;
    Ok(core.team_timeline(&team_id).await?.into())
}

pub async fn close_team_request(
    desktop: State<'_, Desktop>,
    team_id: String,
    entry_id: String,
) -> Result<TeamTimeline, AppError> {
    let core = desktop.app().await?;
    core.close_team_request(&team_id, &entry_id).await?;
    Ok(core.team_timeline(&team_id).await?.into())
}

pub async fn team_badge(desktop: State<'_, Desktop>) -> Result<TeamBadge, AppError> {
    Ok(desktop.app().await?.team_badge().await?.into())
}

/// Opens a file of the timeline in the system viewer. The file written
/// for the viewer is named by its id, never by the name another member gave.
pub async fn open_team_attachment(
    desktop: State<'_, Desktop>,
    attachment_id: String,
) -> Result<(), AppError> {
    let (_, media_type, bytes) = desktop.app().await?.team_attachment(&attachment_id).await?;
    open_in_viewer(
        &desktop,
        &format!(
            "team-{}.{}",
            sanitise(&attachment_id),
            save_kind(&media_type).extension
        ),
        &bytes,
    )
}

/// Saves a file of the timeline where the user picks.
pub async fn save_team_attachment(
    app: AppHandle,
    window: WebviewWindow,
    desktop: State<'_, Desktop>,
    attachment_id: String,
) -> Result<SavedFile, AppError> {
    let (name, media_type, bytes) = desktop.app().await?.team_attachment(&attachment_id).await?;
    let Some(path) = ask_save_path(&app, window, &name, save_kind(&media_type)).await? else {
        return Ok(SavedFile { path: None });
    };
    save_to(&path, &bytes)
}

fn save_kind(media_type: &str) -> SaveKind {
    match media_type {
        "image/jpeg" => SaveKind {
            title: "写真を保存",
            filter: "JPEG",
            extension: "jpg",
        },
        "image/png" => SaveKind {
            title: "写真を保存",
            filter: "PNG",
            extension: "png",
        },
        _ => SaveKind {
            title: "PDFを保存",
            filter: "PDF",
            extension: "pdf",
        },
    }
}

/// Reads a chosen file, refusing (before reading it all) one that is too
/// big, not a photo or a PDF, or whose content is not what its name says.
fn read_team_file(path: &Path) -> Result<app::TeamAttachmentFile, AppError> {
    let unreadable = || {
        file_error(
            "ファイルを読み込めませんでした。ファイルが移動・削除されていないか確認してください。",
        )
    };
    let mut file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let size = file.metadata().map_err(|_| unreadable())?.len();
    let mut head = [0u8; 16];
    let read = file.read(&mut head).map_err(|_| unreadable())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    app::check_team_attachment(&name, size, &head[..read]).map_err(|e| AppError {
        code: ErrorCode::Validation,
        message: e.0.clone(),
        fields: vec![FieldError {
            field: "attachments".into(),
            message: e.0,
        }],
    })?;
    let mut bytes = head[..read].to_vec();
    file.read_to_end(&mut bytes).map_err(|_| unreadable())?;
    Ok(app::TeamAttachmentFile { name, bytes })
}
