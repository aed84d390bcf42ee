//! The store key in the OS keyring (Secret Service, Keychain, Credential Manager).
//! Keyring calls block: callers run them off the async executor.

use crate::backup::BackupKey;
use crate::error::{StoreError, StoreResult};
use crate::key::StoreKey;

pub const KEYRING_SERVICE: &str = "jp.tsunagu.desktop";

/// Keys kept under one keyring service, one entry per store id, so tests
/// and a second instance with their own data folder never share a key.
#[derive(Debug, Clone)]
pub struct KeyringKeys {
    service: String,
}

impl Default for KeyringKeys {
    fn default() -> Self {
        KeyringKeys::new(KEYRING_SERVICE)
    }
}

impl KeyringKeys {
    pub fn new(service: impl Into<String>) -> Self {
        KeyringKeys {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Fails when the platform has no persistent keyring (e.g. no Secret
    /// Service on the session bus): there is no silent fallback.
    pub fn check_available() -> StoreResult<()> {
        keyring::Entry::store_status()
            .as_ref()
            .map(|_| ())
            .map_err(|e| StoreError::KeyringUnavailable(e.to_string()))
    }

    fn entry(&self, store_id: &str) -> StoreResult<keyring::Entry> {
        self.entry_named(&format!("store-key:{store_id}"))
    }

    fn entry_named(&self, account: &str) -> StoreResult<keyring::Entry> {
        Self::check_available()?;
        keyring::Entry::new(&self.service, account)
            .map_err(|e| StoreError::KeyringUnavailable(e.to_string()))
    }

    /// The regional server's credential secret for `device`, kept like the
    /// store key (and read back before it is trusted).
    pub fn save_sync_secret(&self, device: &str, secret: &str) -> StoreResult<()> {
        let entry = self.entry_named(&format!("sync-secret:{device}"))?;
        entry
            .set_password(secret)
            .map_err(|e| StoreError::KeyringUnavailable(e.to_string()))?;
        if self.load_sync_secret(device)? != secret {
            return Err(StoreError::KeyringRoundTrip);
        }
        Ok(())
    }

    pub fn load_sync_secret(&self, device: &str) -> StoreResult<String> {
        match self
            .entry_named(&format!("sync-secret:{device}"))?
            .get_password()
        {
            Ok(secret) => Ok(secret),
            Err(keyring::Error::NoEntry) => Err(StoreError::KeyMissing),
            Err(e) => Err(StoreError::KeyringUnavailable(e.to_string())),
        }
    }

    /// The key backups of this store are sealed with (derived from the
    /// clinic's recovery passphrase; the passphrase itself is not kept).
    pub fn save_backup_key(&self, store_id: &str, key: &BackupKey) -> StoreResult<()> {
        let entry = self.entry_named(&format!("backup-key:{store_id}"))?;
        let text = key.to_keyring_text()?;
        entry
            .set_password(&text)
            .map_err(|e| StoreError::KeyringUnavailable(e.to_string()))?;
        match self.load_backup_key(store_id)? {
            Some(read_back) if read_back.to_keyring_text()? == text => Ok(()),
            _ => Err(StoreError::KeyringRoundTrip),
        }
    }

    /// `None` while the clinic has not set a recovery passphrase.
    pub fn load_backup_key(&self, store_id: &str) -> StoreResult<Option<BackupKey>> {
        match self
            .entry_named(&format!("backup-key:{store_id}"))?
            .get_password()
        {
            Ok(text) => BackupKey::from_keyring_text(&text)
                .map(Some)
                .ok_or(StoreError::Corrupt("keyring entry")),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(StoreError::KeyringUnavailable(e.to_string())),
        }
    }

    pub fn load(&self, store_id: &str) -> StoreResult<StoreKey> {
        match self.entry(store_id)?.get_password() {
            Ok(text) => StoreKey::from_hex(&text).ok_or(StoreError::Corrupt("keyring entry")),
            Err(keyring::Error::NoEntry) => Err(StoreError::KeyMissing),
            Err(e) => Err(StoreError::KeyringUnavailable(e.to_string())),
        }
    }

    /// Writes the key and reads it back: a keyring that accepts a secret but
    /// cannot return it would otherwise lose the store at the next start.
    pub fn save(&self, store_id: &str, key: &StoreKey) -> StoreResult<()> {
        let entry = self.entry(store_id)?;
        entry
            .set_password(&key.to_hex())
            .map_err(|e| StoreError::KeyringUnavailable(e.to_string()))?;
        let read_back = self.load(store_id)?;
        if &read_back != key {
            return Err(StoreError::KeyringRoundTrip);
        }
        Ok(())
    }

    pub fn delete(&self, store_id: &str) -> StoreResult<()> {
        match self.entry(store_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(StoreError::KeyringUnavailable(e.to_string())),
        }
    }
}
