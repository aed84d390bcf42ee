//! Argon2id hashes of passwords and PINs in PHC form (salt and cost in
//! the string), checked in constant time by the argon2 crate. Slow on
//! purpose: the callers run these off the async threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

use crate::error::{AppError, ErrorCode};

/// The crate's default: Argon2id, 19 MiB, two passes (OWASP's
/// recommendation, as the server's portal accounts). A sign-in at the
/// clinic's PC takes a fraction of a second.
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

pub(crate) fn hash(secret: &str) -> Result<String, AppError> {
    let failed = || AppError::new(ErrorCode::Internal, "パスワードを保存できませんでした。");
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| failed())?;
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| failed())
}

/// Whether `secret` is the one `stored` was made from. A stored hash that
/// does not parse matches nothing.
pub(crate) fn matches(secret: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| hasher().verify_password(secret.as_bytes(), &parsed).is_ok())
}

/// Runs a hash or a check on the blocking pool.
pub(crate) async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| AppError::new(ErrorCode::Internal, "パスワードを確認できませんでした。"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_secret_only() {
        let stored = hash("とても長いパスワード").unwrap_or_default();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(matches("とても長いパスワード", &stored));
        assert!(!matches("とても長いパスワーど", &stored));
        assert!(!matches("anything", "not a hash"));
    }
}
