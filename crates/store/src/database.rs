//! Opening the SQLCipher file: the key on every pooled connection, checked
//! before anything else touches the file.

use std::path::Path;
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::error::{StoreError, StoreResult};
use crate::key::StoreKey;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Whether opening may create the file. An existing store is never replaced
/// by a new empty one, and a missing one is never silently made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    CreateNew,
    ExistingOnly,
}

pub(crate) async fn open_pool(path: &Path, key: &StoreKey, mode: OpenMode) -> StoreResult<SqlitePool> {
    match (mode, path.exists()) {
        (OpenMode::CreateNew, true) => {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a store file already exists here",
            )));
        }
        (OpenMode::ExistingOnly, false) => return Err(StoreError::NotFound),
        _ => {}
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        // sqlx issues `key` before any other pragma on each new connection.
        .pragma("key", key.pragma_value())
        .create_if_missing(mode == OpenMode::CreateNew)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Statement logging would print the PRAGMA key line.
        .disable_statement_logging();
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .min_connections(1)
        .connect_with(options)
        .await?;
    verify_encrypted(&pool).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Proves SQLCipher is linked and the key fits, before any write.
async fn verify_encrypted(pool: &SqlitePool) -> StoreResult<()> {
    let cipher: Option<String> = sqlx::query_scalar("PRAGMA cipher_version")
        .fetch_optional(pool)
        .await?;
    if cipher.as_deref().unwrap_or_default().is_empty() {
        return Err(StoreError::NotEncrypted);
    }
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sqlite_master")
        .fetch_one(pool)
        .await?;
    Ok(())
}
