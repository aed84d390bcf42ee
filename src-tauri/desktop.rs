//! The desktop process's state: where its data lives and the opened core
//! (or why it could not be opened, which the UI shows instead of the app).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tsunagu_app::{App, KeyringKeys, StoreLocation, SystemClock};

use crate::ipc::AppError;

/// Overrides the data folder, for tests and for a second instance.
pub const DATA_DIR_ENV: &str = "TSUNAGU_DATA_DIR";
pub const DATA_DIR_ARG: &str = "--data-dir=";

pub struct Desktop {
    data_dir: PathBuf,
    core: Result<App, tsunagu_app::AppError>,
}

impl Desktop {
    pub async fn open(data_dir: PathBuf) -> Desktop {
        let location = StoreLocation::new(&data_dir);
        let core = App::open(
            &location,
            &KeyringKeys::default(),
            Arc::new(SystemClock),
            os_user(),
        )
        .await;
        Desktop { data_dir, core }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Closes the store's connections: the process must not exit while
    /// SQLCipher connections are still open in their worker threads.
    pub async fn close(&self) {
        if let Ok(app) = &self.core {
            app.close().await;
        }
    }

    /// The core, or the startup failure as every command's answer: a store
    /// that did not open is never replaced by an empty one.
    pub fn app(&self) -> Result<&App, AppError> {
        self.core.as_ref().map_err(|e| e.clone().into())
    }
}

/// `--data-dir=PATH`, then `TSUNAGU_DATA_DIR`, else the OS's per-user
/// application-data folder.
pub fn configured_data_dir(default: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    std::env::args()
        .find_map(|arg| arg.strip_prefix(DATA_DIR_ARG).map(PathBuf::from))
        .or_else(|| {
            std::env::var_os(DATA_DIR_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(default)
}

/// Who acts, for the audit log, until the app has its own user accounts.
fn os_user() -> String {
    let name = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string());
    format!("os:{name}")
}
