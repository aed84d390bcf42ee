//! Where a store lives on disk and how its key is found in the OS keyring.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Store;
use crate::database::OpenMode;
use crate::error::{StoreError, StoreResult};
use crate::key::StoreKey;
use crate::keyring_keys::KeyringKeys;

const DATABASE_FILE: &str = "tsunagu.db";
/// Names this store's key in the keyring. It travels with the database
/// file, so a copied or moved data folder still finds its key.
const STORE_ID_FILE: &str = "store-id";

#[derive(Debug, Clone)]
pub struct StoreLocation {
    dir: PathBuf,
}

impl StoreLocation {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        StoreLocation { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn database_path(&self) -> PathBuf {
        self.dir.join(DATABASE_FILE)
    }

    fn store_id_path(&self) -> PathBuf {
        self.dir.join(STORE_ID_FILE)
    }

    pub fn exists(&self) -> bool {
        self.database_path().exists()
    }

    /// Whether this folder has never held a store: neither the database
    /// file nor its `store-id`. Only then may a store be created (or restored).
    pub fn is_new_install(&self) -> bool {
        !self.exists() && !self.store_id_path().exists()
    }

    /// Opens the store here, or on first start creates it with a fresh
    /// random key saved in the keyring. Fails closed: an existing file whose
    /// key is missing or wrong is reported and left untouched, and a folder
    /// whose `store-id` outlived its database file is refused, not refilled.
    pub async fn open_or_create(&self, keys: &KeyringKeys) -> StoreResult<Store> {
        if !self.exists() && !self.is_new_install() {
            return Err(StoreError::DataFileMissing);
        }
        if self.exists() {
            let store_id = self.read_store_id()?;
            let key = blocking({
                let keys = keys.clone();
                move || keys.load(&store_id)
            })
            .await?;
            Store::open_file(&self.database_path(), &key, OpenMode::ExistingOnly).await
        } else {
            fs::create_dir_all(&self.dir)?;
            let store_id = uuid::Uuid::now_v7().to_string();
            let key = StoreKey::generate();
            blocking({
                let keys = keys.clone();
                let key = key.clone();
                let store_id = store_id.clone();
                move || keys.save(&store_id, &key)
            })
            .await?;
            // Written only after the key is safely in the keyring, so an id
            // file never points at a key that was not saved.
            fs::write(self.store_id_path(), &store_id)?;
            Store::open_file(&self.database_path(), &key, OpenMode::CreateNew).await
        }
    }

    /// Writes the id through a temporary file, so a crash leaves the old
    /// id or the new one.
    pub(crate) fn write_store_id(&self, store_id: &str) -> StoreResult<()> {
        let partial = self.dir.join(format!("{STORE_ID_FILE}.partial"));
        fs::write(&partial, store_id)?;
        fs::File::open(&partial)?.sync_all()?;
        fs::rename(&partial, self.store_id_path())?;
        Ok(())
    }

    pub fn read_store_id(&self) -> StoreResult<String> {
        match fs::read_to_string(self.store_id_path()) {
            Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_string()),
            Ok(_) => Err(StoreError::StoreIdMissing),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::StoreIdMissing),
            Err(e) => Err(StoreError::Io(e)),
        }
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> StoreResult<T> + Send + 'static,
) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::KeyringUnavailable(format!("keyring task failed: {e}")))?
}
