//! The key a backup is encrypted with: Argon2id over the clinic's recovery
//! passphrase and a random salt. Derived once when the passphrase is set
//! and kept in the OS keyring, so daily backups run without anyone typing
//! it; a restore derives it again from the passphrase and the salt that
//! every backup's header carries.

use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{StoreError, StoreResult};

/// Argon2id's cost: 64 MiB, three passes (OWASP's recommendation is 19 MiB
/// and two; a restore is rare and an offline guesser gets a backup file).
pub const KDF_MEMORY_KIB: u32 = 64 * 1024;
pub const KDF_PASSES: u32 = 3;

/// The shortest passphrase accepted: the backup leaves the clinic on a USB
/// disk or a NAS, and this is all that guards it.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    #[serde(with = "hex_array")]
    pub salt: [u8; 16],
}

#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct BackupKey {
    #[zeroize(skip)]
    params: KdfParams,
    key: [u8; 32],
}

impl std::fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupKey(<redacted>)")
    }
}

impl BackupKey {
    /// A new key for `passphrase` with a fresh salt (when the clinic sets
    /// or changes its passphrase). Slow on purpose: call it off the async
    /// threads.
    pub fn from_new_passphrase(passphrase: &str) -> StoreResult<BackupKey> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(StoreError::PassphraseTooShort);
        }
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        BackupKey::derive(
            passphrase,
            KdfParams {
                memory_kib: KDF_MEMORY_KIB,
                passes: KDF_PASSES,
                lanes: 1,
                salt,
            },
        )
    }

    /// The key for `passphrase` under a backup's recorded parameters.
    pub fn derive(passphrase: &str, params: KdfParams) -> StoreResult<BackupKey> {
        let argon = Params::new(params.memory_kib, params.passes, params.lanes, Some(32))
            .map_err(|_| StoreError::BackupDamaged)?;
        let mut key = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, argon)
            .hash_password_into(passphrase.as_bytes(), &params.salt, &mut key)
            .map_err(|_| StoreError::BackupDamaged)?;
        Ok(BackupKey { params, key })
    }

    /// Whether `passphrase` is the one this key was derived from (before a
    /// recovery sheet prints it, or the passphrase is changed). Slow, as
    /// [`BackupKey::derive`].
    pub fn opened_by(&self, passphrase: &str) -> bool {
        BackupKey::derive(passphrase, self.params).is_ok_and(|other| other.key == self.key)
    }

    pub fn params(&self) -> KdfParams {
        self.params
    }

    pub(crate) fn key_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// The text kept in the OS keyring.
    pub(crate) fn to_keyring_text(&self) -> StoreResult<String> {
        serde_json::to_string(&KeyringForm {
            params: self.params,
            key: hex::encode(self.key),
        })
        .map_err(|_| StoreError::Corrupt("backup key"))
    }

    pub(crate) fn from_keyring_text(text: &str) -> Option<BackupKey> {
        let form: KeyringForm = serde_json::from_str(text).ok()?;
        let key = hex::decode(&form.key).ok()?.try_into().ok()?;
        Some(BackupKey {
            params: form.params,
            key,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct KeyringForm {
    params: KdfParams,
    key: String,
}

pub(crate) mod hex_array {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(d)?;
        hex::decode(text)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| serde::de::Error::custom("bad hex"))
    }
}
