use std::fmt;

use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The 32 random bytes SQLCipher encrypts the store with. Raw bytes, not a
/// passphrase: SQLCipher then skips PBKDF2, which would cost ~150 ms on every
/// pooled connection.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct StoreKey([u8; 32]);

impl StoreKey {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        StoreKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        StoreKey(bytes)
    }

    pub(crate) fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    pub(crate) fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub(crate) fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text.trim()).ok()?;
        Some(StoreKey(bytes.try_into().ok()?))
    }

    /// The value for `PRAGMA key`: a blob literal, so SQLCipher uses the bytes as the key.
    pub(crate) fn pragma_value(&self) -> String {
        format!("\"x'{}'\"", self.to_hex())
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(<redacted>)")
    }
}

#[doc(hidden)]
impl StoreKey {
    /// For tests that open the file with a raw SQLite connection.
    pub fn expose_hex_for_tests(&self) -> String {
        self.to_hex()
    }
}
