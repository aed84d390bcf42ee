//! Backups: what the settings screen and 要確認 show. No secret crosses:
//! the passphrase goes in once (set or restore) and never comes back.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// The chosen folder (USB disk, NAS), or null before one is chosen.
    pub folder: Option<String>,
    pub passphrase_set: bool,
    /// RFC 3339; null before the first backup.
    pub last_success: Option<String>,
    /// 「最終バックアップ: …」
    pub last_backup_label: String,
    /// Why backups need attention (要確認), or null.
    pub attention: Option<String>,
}

impl From<app::BackupView> for BackupStatus {
    fn from(v: app::BackupView) -> Self {
        BackupStatus {
            folder: v.folder,
            passphrase_set: v.passphrase_set,
            last_success: v.last_success.map(|t| t.to_rfc3339()),
            last_backup_label: v.last_backup_label,
            attention: v.attention,
        }
    }
}
