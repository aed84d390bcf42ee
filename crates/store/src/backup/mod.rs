//! Encrypted backups of the whole store and their restore, on this PC or a
//! new one with an empty keyring (ADR 0016).
//!
//! A backup is a consistent snapshot of the database, exported by SQLCipher
//! under a fresh random key into a temporary file beside the store (so no
//! plaintext ever touches a disk), then sealed with the clinic's recovery
//! passphrase ([`sealed_file`]) together with that snapshot key and the
//! secrets the keyring holds for the store (the sync credential). It is
//! written to a temporary name, flushed and renamed, so a half-written
//! backup never takes a good one's place.

mod passphrase;
mod sealed_file;
mod snapshot;

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::key::StoreKey;
use crate::keyring_keys::KeyringKeys;
use crate::location::StoreLocation;

pub use passphrase::{BackupKey, KdfParams, MIN_PASSPHRASE_CHARS};
pub use sealed_file::{BackupHeader, FORMAT_VERSION};

/// The file name every backup ends with; the app names the rest.
pub const BACKUP_EXTENSION: &str = "tsunagu-backup";

/// Secrets that live in the keyring, not the database, and that a restored
/// store needs to carry on: today the regional server's device credential.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSecrets {
    /// (device id, secret)
    pub sync_secret: Option<(String, String)>,
}

impl Store {
    /// Writes a backup of the whole store to `target` (a path ending in
    /// `.tsunagu-backup`): snapshot, seal, flush, rename. `target` is
    /// replaced only by a complete backup.
    pub async fn write_backup(
        &self,
        target: &Path,
        key: &BackupKey,
        store_id: &str,
        secrets: &BackupSecrets,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let snapshot = snapshot::export(self).await?;
        let key = key.clone();
        let store_id = store_id.to_string();
        let secrets = serde_json::to_vec(secrets).map_err(|_| StoreError::Corrupt("secrets"))?;
        let target = target.to_path_buf();
        // The snapshot moves into the task and is deleted when it ends.
        blocking(move || {
            let mut db = File::open(snapshot.path())?;
            let mut plaintext = Payload::prefix(snapshot.key(), &secrets)?.chain(&mut db);
            write_atomically(&target, |out| {
                sealed_file::seal(&key, &store_id, now, &mut plaintext, out)
            })
        })
        .await
    }
}

/// The header of the backup at `path` (for listing backups; no passphrase).
pub fn read_backup_header(path: &Path) -> StoreResult<BackupHeader> {
    let mut input = BufReader::new(File::open(path)?);
    Ok(sealed_file::read_header(&mut input)?.0)
}

impl StoreLocation {
    /// Restores the backup at `backup` into this folder, which must hold no
    /// database file (a new install, or one whose file went missing). The
    /// restored store gets a fresh key, saved in `keys`, and a fresh
    /// store id; its contents — including its sync device, pull positions
    /// and outbox — are the backup's. Refuses a wrong passphrase and a
    /// damaged file before anything in the folder changes.
    pub async fn restore_backup(
        &self,
        backup: &Path,
        passphrase: &str,
        keys: &KeyringKeys,
    ) -> StoreResult<(Store, BackupSecrets)> {
        if self.exists() {
            return Err(StoreError::RestoreWouldOverwrite);
        }
        fs::create_dir_all(self.dir())?;
        let staged = self.dir().join("tsunagu.db.restoring");
        remove_if_present(&staged)?;
        let opened = {
            let backup = backup.to_path_buf();
            let passphrase = passphrase.to_string();
            let staged = staged.clone();
            blocking(move || open_into(&backup, &passphrase, &staged)).await
        };
        let (snapshot_key, secrets) = match opened {
            Ok(opened) => opened,
            Err(e) => {
                remove_if_present(&staged)?;
                return Err(e);
            }
        };
        let new_key = StoreKey::generate();
        if let Err(e) = snapshot::rekey(&staged, &snapshot_key, &new_key).await {
            remove_if_present(&staged)?;
            return Err(e);
        }
        let store_id = uuid::Uuid::now_v7().to_string();
        {
            let keys = keys.clone();
            let key = new_key.clone();
            let store_id = store_id.clone();
            let secrets = secrets.clone();
            blocking(move || {
                keys.save(&store_id, &key)?;
                if let Some((device, secret)) = &secrets.sync_secret {
                    keys.save_sync_secret(device, secret)?;
                }
                Ok(())
            })
            .await?;
        }
        // The id first: a crash before the rename leaves a folder that is
        // refused as "file missing" and can be restored again.
        self.write_store_id(&store_id)?;
        fs::rename(&staged, self.database_path())?;
        sync_dir(self.dir())?;
        let store = Store::open_file(
            &self.database_path(),
            &new_key,
            crate::database::OpenMode::ExistingOnly,
        )
        .await?;
        Ok((store, secrets))
    }
}

/// What precedes the database bytes in a backup's sealed payload.
struct Payload;

impl Payload {
    fn prefix(snapshot_key: &StoreKey, secrets: &[u8]) -> StoreResult<std::io::Cursor<Vec<u8>>> {
        let mut bytes = Vec::with_capacity(36 + secrets.len());
        bytes.extend_from_slice(&snapshot_key.to_bytes());
        let len = u32::try_from(secrets.len()).map_err(|_| StoreError::Corrupt("secrets"))?;
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(secrets);
        Ok(std::io::Cursor::new(bytes))
    }
}

/// Opens the backup into `staged` (the snapshot, still under its own key)
/// and returns that key and the secrets.
fn open_into(
    backup: &Path,
    passphrase: &str,
    staged: &Path,
) -> StoreResult<(StoreKey, BackupSecrets)> {
    let mut input = BufReader::with_capacity(1 << 20, File::open(backup)?);
    let (header, header_bytes) = sealed_file::read_header(&mut input)?;
    let key = sealed_file::unlock(&header, passphrase)?;
    let mut out = PayloadSplitter::new(BufWriter::new(File::create(staged)?));
    sealed_file::open(&key, &header, &header_bytes, &mut input, &mut out)?;
    let (snapshot_key, secrets, file) = out.finish()?;
    file.sync_all()?;
    Ok((snapshot_key, secrets))
}

/// Takes the payload's prefix (snapshot key, secrets) off the front and
/// writes the rest, the database, to the file.
struct PayloadSplitter {
    prefix: Vec<u8>,
    prefix_len: Option<usize>,
    file: BufWriter<File>,
}

impl PayloadSplitter {
    fn new(file: BufWriter<File>) -> Self {
        PayloadSplitter {
            prefix: Vec::new(),
            prefix_len: None,
            file,
        }
    }

    fn finish(self) -> StoreResult<(StoreKey, BackupSecrets, File)> {
        let Some(len) = self.prefix_len else {
            return Err(StoreError::BackupDamaged);
        };
        if self.prefix.len() != len {
            return Err(StoreError::BackupDamaged);
        }
        let key: [u8; 32] = self.prefix[..32]
            .try_into()
            .map_err(|_| StoreError::BackupDamaged)?;
        let secrets =
            serde_json::from_slice(&self.prefix[36..]).map_err(|_| StoreError::BackupDamaged)?;
        let file = self
            .file
            .into_inner()
            .map_err(|e| StoreError::Io(e.into_error()))?;
        Ok((StoreKey::from_bytes(key), secrets, file))
    }
}

impl Write for PayloadSplitter {
    fn write(&mut self, mut buf: &[u8]) -> std::io::Result<usize> {
        let total = buf.len();
        loop {
            let wanted = self.prefix_len.unwrap_or(36);
            if self.prefix.len() >= wanted {
                break;
            }
            let take = (wanted - self.prefix.len()).min(buf.len());
            self.prefix.extend_from_slice(&buf[..take]);
            buf = &buf[take..];
            if self.prefix_len.is_none() && self.prefix.len() == 36 {
                let mut len = [0u8; 4];
                len.copy_from_slice(&self.prefix[32..36]);
                self.prefix_len = Some(36 + u32::from_le_bytes(len) as usize);
            }
            if buf.is_empty() {
                return Ok(total);
            }
        }
        self.file.write_all(buf)?;
        Ok(total)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Writes through `fill` into a temporary file beside `target`, flushes it
/// to the disk and renames it over `target`: readers see the old file or
/// the complete new one, never a part.
fn write_atomically(
    target: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> StoreResult<()>,
) -> StoreResult<()> {
    let partial = partial_path(target);
    let written = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&partial)?);
        fill(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| StoreError::Io(e.into_error()))?;
        file.sync_all()?;
        Ok::<_, StoreError>(())
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    fs::rename(&partial, target)?;
    if let Some(dir) = target.parent() {
        sync_dir(dir)?;
    }
    Ok(())
}

fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

/// Makes a rename durable. Directories cannot be opened for syncing on
/// Windows; there NTFS journals the rename itself.
fn sync_dir(dir: &Path) -> StoreResult<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn remove_if_present(path: &Path) -> StoreResult<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> StoreResult<T> + Send + 'static,
) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Io(std::io::Error::other(format!("backup task failed: {e}"))))?
}
