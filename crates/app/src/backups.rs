//! Encrypted backups of the whole store to a folder the clinic chooses
//! (a USB disk, a NAS), several generations kept, and the restore on a new
//! PC. The file format and the restore itself are the store's
//! (`tsunagu_store::backup`, ADR 0016); the rules — which generations to
//! keep, when a backup counts as missed — are the domain's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tsunagu_domain::backup::japan;
use tsunagu_domain::{BackupAttention, BackupFacts, Retention, backup_attention};
use tsunagu_store::{
    BACKUP_EXTENSION, BackupKey, BackupSecrets, KeyringKeys, StoreLocation, read_backup_header,
};

use tsunagu_domain::Capability;
use tsunagu_letters::{LetterError, RecoverySheet, render_recovery_sheet_pdf};

use crate::error::{AppError, ErrorCode};
use crate::{App, Clock};

const FOLDER_KEY: &str = "backup.folder";
const STATUS_KEY: &str = "backup.status";
/// Automatic backups run once a day.
pub const BACKUP_EVERY_HOURS: i64 = 24;
/// After a failed attempt the next automatic one waits this long (the
/// background task runs every few minutes; a missing USB disk should not
/// be probed that often).
const RETRY_AFTER_MINUTES: i64 = 30;

/// What the settings screen and 要確認 show about backups. Holds no
/// secret: the passphrase and the keys never leave Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupView {
    pub folder: Option<String>,
    pub passphrase_set: bool,
    pub last_success: Option<DateTime<Utc>>,
    /// 「最終バックアップ: 2026年11月24日 18:00」 or that there is none.
    pub last_backup_label: String,
    /// Why backups need attention (要確認), if they do.
    pub attention: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct BackupStatus {
    last_success: Option<DateTime<Utc>>,
    last_failure: Option<DateTime<Utc>>,
    /// The last failure could not reach the folder.
    unreachable: bool,
}

impl App {
    pub async fn backup_view(&self) -> Result<BackupView, AppError> {
        let folder = self.store.setting(FOLDER_KEY).await?;
        let passphrase_set = self.backup_key().await?.is_some();
        let status = self.backup_status().await?;
        let facts = BackupFacts {
            set_up: folder.is_some() && passphrase_set,
            last_success: status.last_success,
            last_attempt_unreachable: status.unreachable
                && status.last_failure > status.last_success,
        };
        Ok(BackupView {
            folder,
            passphrase_set,
            last_success: status.last_success,
            last_backup_label: match status.last_success {
                Some(at) => format!("最終バックアップ: {}", japan_time(at)),
                None => "最終バックアップ: まだありません".to_string(),
            },
            attention: backup_attention(&facts, self.clock.now())
                .map(BackupAttention::label_ja)
                .map(str::to_string),
        })
    }

    /// Sets the recovery passphrase, once: backups already made stay
    /// sealed with it, so changing it is not offered here.
    pub async fn set_backup_passphrase(&self, passphrase: &str) -> Result<BackupView, AppError> {
        self.require(Capability::Administer)?;
        if self.backup_key().await?.is_some() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "復旧用パスフレーズは既に設定されています。",
            ));
        }
        let (keys, store_id) = self.backup_keyring()?;
        let passphrase = passphrase.to_string();
        blocking(move || {
            let key = BackupKey::from_new_passphrase(&passphrase)?;
            keys.save_backup_key(&store_id, &key)?;
            Ok(())
        })
        .await?;
        self.backup_view().await
    }

    /// A new recovery passphrase, the current one checked first. Backups
    /// made from now on are sealed with the new one; older ones still need
    /// the old one (the screen says so).
    pub async fn change_backup_passphrase(
        &self,
        current: &str,
        new: &str,
    ) -> Result<BackupView, AppError> {
        self.require(Capability::Administer)?;
        let Some(key) = self.backup_key().await? else {
            return Err(AppError::new(
                ErrorCode::Validation,
                "復旧用パスフレーズはまだ設定されていません。",
            ));
        };
        let (keys, store_id) = self.backup_keyring()?;
        let (current, new) = (current.to_string(), new.to_string());
        blocking(move || {
            if !key.opened_by(&current) {
                return Err(AppError::field(
                    "currentPassphrase",
                    "今の復旧用パスフレーズが違います。",
                ));
            }
            let key = BackupKey::from_new_passphrase(&new)
                .map_err(|e| AppError::field("passphrase", AppError::from(e).message))?;
            keys.save_backup_key(&store_id, &key)?;
            Ok(())
        })
        .await?;
        self.backup_view().await
    }

    /// The recovery sheet as a PDF: with the passphrase printed when it is
    /// given (checked against the key first, so a sheet never carries a
    /// wrong one), or with a box to write it in.
    pub async fn recovery_sheet_pdf(&self, passphrase: Option<&str>) -> Result<Vec<u8>, AppError> {
        self.require(Capability::Administer)?;
        if let Some(passphrase) = passphrase {
            let Some(key) = self.backup_key().await? else {
                return Err(AppError::new(
                    ErrorCode::Validation,
                    "復旧用パスフレーズを先に設定してください。",
                ));
            };
            let passphrase = passphrase.to_string();
            let opened = blocking(move || Ok(key.opened_by(&passphrase))).await?;
            if !opened {
                return Err(AppError::field(
                    "passphrase",
                    "設定されている復旧用パスフレーズと違います。",
                ));
            }
        }
        let (_, store_id) = self.backup_keyring()?;
        let sheet = RecoverySheet {
            clinic_name: self
                .store
                .clinic_profile()
                .await?
                .map(|c| c.name)
                .unwrap_or_default(),
            made_on: self.clock.today(),
            store_id,
            backup_folder: self.store.setting(FOLDER_KEY).await?,
            passphrase: passphrase.map(str::to_string),
        };
        render_recovery_sheet_pdf(&sheet).map_err(|e| match e {
            LetterError::UnsupportedCharacters(_) => AppError::field(
                "passphrase",
                format!(
                    "このパスフレーズは印刷できません（{e}）。手書き欄のシートを印刷してください。"
                ),
            ),
            _ => AppError::new(
                ErrorCode::Validation,
                "復旧シートには医療機関名が入ります。先に医療機関情報を登録してください。",
            ),
        })
    }

    /// Chooses the folder backups go to; it must exist and take a file.
    pub async fn set_backup_folder(&self, folder: &Path) -> Result<BackupView, AppError> {
        self.require(Capability::Administer)?;
        if let Err(e) = check_folder(folder).await {
            return Err(AppError::field("folder", e.message));
        }
        let text = folder.display().to_string();
        self.store
            .put_setting(FOLDER_KEY, &text, &self.actor(), self.clock.now())
            .await?;
        self.backup_view().await
    }

    /// Backs up now if the last backup is a day old (or there is none) and
    /// the last failure is not too recent; `None` when nothing was due.
    pub async fn backup_if_due(&self) -> Result<Option<BackupView>, AppError> {
        let view = self.backup_view().await?;
        let status = self.backup_status().await?;
        let now = self.clock.now();
        let due = status
            .last_success
            .is_none_or(|at| now - at >= Duration::hours(BACKUP_EVERY_HOURS));
        let resting = status
            .last_failure
            .is_some_and(|at| now - at < Duration::minutes(RETRY_AFTER_MINUTES));
        if view.folder.is_none() || !view.passphrase_set || !due || resting {
            return Ok(None);
        }
        self.backup_now().await.map(Some)
    }

    /// Writes a backup to the chosen folder, then deletes the generations
    /// the retention rule no longer keeps.
    pub async fn backup_now(&self) -> Result<BackupView, AppError> {
        let folder = self.store.setting(FOLDER_KEY).await?;
        let key = self.backup_key().await?;
        let (Some(folder), Some(key)) = (folder, key) else {
            return Err(AppError::new(
                ErrorCode::Validation,
                "バックアップ先のフォルダと復旧用パスフレーズを先に設定してください。",
            ));
        };
        let folder = PathBuf::from(folder);
        let now = self.clock.now();
        if let Err(e) = check_folder(&folder).await {
            self.record_backup(None, Some(now)).await?;
            return Err(e);
        }
        let (keys, store_id) = self.backup_keyring()?;
        let secrets = self.backup_secrets(&keys).await?;
        let target = folder.join(file_name(now));
        if let Err(e) = self
            .store
            .write_backup(&target, &key, &store_id, &secrets, now)
            .await
        {
            self.record_backup(None, Some(now)).await?;
            return Err(match e {
                tsunagu_store::StoreError::Io(_) => {
                    AppError::new(ErrorCode::StoreUnavailable, unreachable_message(&folder))
                }
                other => other.into(),
            });
        }
        self.record_backup(Some(now), None).await?;
        prune(&folder, &store_id).await;
        self.backup_view().await
    }

    async fn backup_status(&self) -> Result<BackupStatus, AppError> {
        Ok(self
            .store
            .setting(STATUS_KEY)
            .await?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default())
    }

    async fn record_backup(
        &self,
        success: Option<DateTime<Utc>>,
        failure: Option<DateTime<Utc>>,
    ) -> Result<(), AppError> {
        let mut status = self.backup_status().await?;
        if success.is_some() {
            status.last_success = success;
            status.unreachable = false;
        }
        if failure.is_some() {
            status.last_failure = failure;
            status.unreachable = true;
        }
        let text = serde_json::to_string(&status).map_err(|_| {
            AppError::new(ErrorCode::Internal, "バックアップの状態を保存できません。")
        })?;
        self.store
            .put_setting(STATUS_KEY, &text, &self.actor(), self.clock.now())
            .await?;
        Ok(())
    }

    async fn backup_key(&self) -> Result<Option<BackupKey>, AppError> {
        let Ok((keys, store_id)) = self.backup_keyring() else {
            return Ok(None);
        };
        blocking(move || Ok(keys.load_backup_key(&store_id)?)).await
    }

    fn backup_keyring(&self) -> Result<(KeyringKeys, String), AppError> {
        match (&self.keys, &self.store_id) {
            (Some(keys), Some(id)) => Ok((keys.clone(), id.clone())),
            _ => Err(AppError::new(
                ErrorCode::KeyringUnavailable,
                "この起動方法ではバックアップを使えません（鍵の保管庫に接続していません）。",
            )),
        }
    }

    /// The sync credential, so a restored PC carries on syncing as this one.
    async fn backup_secrets(&self, keys: &KeyringKeys) -> Result<BackupSecrets, AppError> {
        let Some(device) = self.store.sync_device().await? else {
            return Ok(BackupSecrets::default());
        };
        let id = device.device_id.to_string();
        let secret = crate::sync::load_secret(keys.clone(), device.device_id).await?;
        Ok(BackupSecrets {
            sync_secret: Some((id, secret)),
        })
    }

    /// Restores `backup` into `location` (which holds no store) with a
    /// fresh key in `keys`, and opens it. The restored store is the backup's
    /// as it was: patients, referrals, letters, settings, and its sync state
    /// (device, credential, pull positions, outbox) unchanged.
    pub async fn restore(
        location: &StoreLocation,
        keys: &KeyringKeys,
        backup: &Path,
        passphrase: &str,
        clock: Arc<dyn Clock>,
        actor: impl Into<String>,
    ) -> Result<App, AppError> {
        let (store, _) = location.restore_backup(backup, passphrase, keys).await?;
        let store_id = location.read_store_id()?;
        // The clinic's passphrase goes on guarding the new PC's backups.
        let passphrase = passphrase.to_string();
        let saved = {
            let keys = keys.clone();
            let store_id = store_id.clone();
            blocking(move || {
                let key = BackupKey::from_new_passphrase(&passphrase)?;
                keys.save_backup_key(&store_id, &key)?;
                Ok(())
            })
            .await
        };
        let app = App::with_store(store, clock, actor)
            .with_keyring(keys.clone())
            .with_store_id(store_id)
            .requiring_accounts();
        saved?;
        Ok(app)
    }
}

/// When the backup at `path` was made (「2026年11月24日 18:00」), read
/// from its header without the passphrase: shown before a restore so the
/// clinic can tell an old generation from the newest.
pub fn backup_made_at(path: &Path) -> Result<String, AppError> {
    let header = read_backup_header(path)?;
    Ok(japan_time(header.created_at))
}

/// The newest backup of each kept period stays; the rest of this store's
/// backups go. Files that are not readable backups of this store are
/// never touched. Pruning is best effort: the backup itself succeeded.
async fn prune(folder: &Path, store_id: &str) {
    let folder = folder.to_path_buf();
    let store_id = store_id.to_string();
    let _ = tokio::task::spawn_blocking(move || {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return;
        };
        let backups: Vec<(PathBuf, DateTime<Utc>)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == BACKUP_EXTENSION))
            .filter_map(|p| {
                let header = read_backup_header(&p).ok()?;
                (header.store_id == store_id).then_some((p, header.created_at))
            })
            .collect();
        let times: Vec<_> = backups.iter().map(|(_, t)| *t).collect();
        let keep = Retention::STANDARD.keep(&times);
        for (i, (path, _)) in backups.iter().enumerate() {
            if !keep.contains(&i) {
                let _ = std::fs::remove_file(path);
            }
        }
    })
    .await;
}

/// The folder exists and takes a file; otherwise why not
/// (`StoreUnavailable`, with a message for the settings screen).
async fn check_folder(folder: &Path) -> Result<(), AppError> {
    let folder = folder.to_path_buf();
    let unavailable = |message: String| AppError::new(ErrorCode::StoreUnavailable, message);
    tokio::task::spawn_blocking(move || {
        if !folder.is_absolute() || !folder.is_dir() {
            return Err(unavailable(unreachable_message(&folder)));
        }
        let probe = folder.join(".tsunagu-write-check");
        std::fs::write(&probe, b"ok")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|_| {
                unavailable(format!(
                    "{} に書き込めません。フォルダの権限を確認してください。",
                    folder.display()
                ))
            })
    })
    .await
    .unwrap_or_else(|_| Err(unavailable("フォルダを確認できませんでした。".to_string())))
}

fn unreachable_message(folder: &Path) -> String {
    format!(
        "バックアップ先のフォルダ（{}）に接続できません。USBディスクやNASがつながっているか確認してください。",
        folder.display()
    )
}

fn japan_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&japan())
        .format("%Y年%-m月%-d日 %H:%M")
        .to_string()
}

/// e.g. `tsunagu-20261124-180000.tsunagu-backup`: sorts by time.
fn file_name(at: DateTime<Utc>) -> String {
    format!(
        "tsunagu-{}.{BACKUP_EXTENSION}",
        at.with_timezone(&japan()).format("%Y%m%d-%H%M%S")
    )
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| crate::sync::no_keyring())?
}
