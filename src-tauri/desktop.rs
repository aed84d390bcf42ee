//! The desktop process's state: where its data lives and the opened core
//! (or why it could not be opened, which the UI shows instead of the app,
//! or that this PC has no store yet and the clinic chooses between a new
//! one and a restore from backup).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tsunagu_app::{App, KeyringKeys, StoreLocation, SystemClock};

use crate::ipc::{AppError, ErrorCode};

/// Overrides the data folder, for tests and for a second instance.
pub const DATA_DIR_ENV: &str = "TSUNAGU_DATA_DIR";
pub const DATA_DIR_ARG: &str = "--data-dir=";

/// Where the core is in its life.
#[derive(Clone)]
enum Core {
    /// This folder has never held a store: nothing is created until the
    /// clinic chooses 新しく始める or バックアップから復元.
    NotCreated,
    Open(App),
    /// The store did not open; it is never replaced by an empty one.
    Failed(tsunagu_app::AppError),
}

pub struct Desktop {
    data_dir: PathBuf,
    keys: KeyringKeys,
    core: RwLock<Core>,
    /// One creation or restore at a time (a double click must not make two).
    creating: tokio::sync::Mutex<()>,
}

impl Desktop {
    pub async fn open(data_dir: PathBuf) -> Desktop {
        let location = StoreLocation::new(&data_dir);
        let keys = KeyringKeys::default();
        let core = if location.is_new_install() {
            Core::NotCreated
        } else {
            match App::open(&location, &keys, Arc::new(SystemClock), os_user()).await {
                Ok(app) => Core::Open(app),
                Err(e) => Core::Failed(e),
            }
        };
        Desktop {
            data_dir,
            keys,
            core: RwLock::new(core),
            creating: tokio::sync::Mutex::new(()),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Closes the store's connections: the process must not exit while
    /// SQLCipher connections are still open in their worker threads.
    pub async fn close(&self) {
        if let Ok(app) = self.core() {
            app.close().await;
        }
    }

    /// The core for a command from the window: only while an account is
    /// signed in and the screen is unlocked (an idle app locks here).
    pub async fn app(&self) -> Result<App, AppError> {
        let app = self.core()?;
        app.require_unlocked().await?;
        Ok(app)
    }

    /// The core whoever is at the PC: for starting up, signing in and
    /// unlocking, and for the background work.
    pub fn core(&self) -> Result<App, AppError> {
        match self.current() {
            Core::Open(app) => Ok(app),
            Core::Failed(e) => Err(e.into()),
            Core::NotCreated => Err(not_created()),
        }
    }

    /// Whether the clinic has yet to choose between a new store and a
    /// restore (nothing exists in the data folder).
    pub fn awaits_creation(&self) -> bool {
        matches!(self.current(), Core::NotCreated)
    }

    /// Whether a restore may replace the current state: a new folder, or
    /// one whose data file went missing (the restore brings it back).
    fn may_restore(&self) -> bool {
        match self.current() {
            Core::NotCreated => true,
            Core::Failed(e) => e.code == tsunagu_app::ErrorCode::StoreFileMissing,
            Core::Open(_) => false,
        }
    }

    /// 新しく始める: creates the empty store (its key into the keyring).
    pub async fn create_new(&self) -> Result<App, AppError> {
        let _turn = self.creating.lock().await;
        if !self.awaits_creation() {
            return Err(already_there());
        }
        let location = StoreLocation::new(&self.data_dir);
        let app = App::open(&location, &self.keys, Arc::new(SystemClock), os_user()).await?;
        self.set(Core::Open(app.clone()));
        Ok(app)
    }

    /// バックアップから復元: the backup at `backup`, opened with the
    /// clinic's recovery passphrase, becomes this PC's store. A wrong
    /// passphrase or a damaged file changes nothing.
    pub async fn restore(&self, backup: &Path, passphrase: &str) -> Result<App, AppError> {
        let _turn = self.creating.lock().await;
        if !self.may_restore() {
            return Err(already_there());
        }
        let location = StoreLocation::new(&self.data_dir);
        let app = App::restore(
            &location,
            &self.keys,
            backup,
            passphrase,
            Arc::new(SystemClock),
            os_user(),
        )
        .await?;
        self.set(Core::Open(app.clone()));
        Ok(app)
    }

    fn current(&self) -> Core {
        match self.core.read() {
            Ok(core) => core.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, core: Core) {
        match self.core.write() {
            Ok(mut slot) => *slot = core,
            Err(poisoned) => *poisoned.into_inner() = core,
        }
    }
}

fn not_created() -> AppError {
    AppError {
        code: ErrorCode::NotFound,
        message:
            "まだデータがありません。「新しく始める」か「バックアップから復元」を選んでください。"
                .to_string(),
        fields: Vec::new(),
    }
}

fn already_there() -> AppError {
    AppError {
        code: ErrorCode::Conflict,
        message: "このパソコンには既にデータがあります。既存のデータを上書きすることはありません。"
            .to_string(),
        fields: Vec::new(),
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

/// Who acts before anyone signs in (the background sync and backups);
/// once an account is signed in, the audit log names the account.
fn os_user() -> String {
    let name = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string());
    format!("os:{name}")
}
