//! The database copied for a backup, and the copy's re-keying on restore.

use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::key::StoreKey;

/// A consistent copy of the store in a temporary file beside it, encrypted
/// by SQLCipher under a key of its own. Deleted when dropped.
pub(super) struct Snapshot {
    path: PathBuf,
    key: StoreKey,
}

impl Snapshot {
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn key(&self) -> &StoreKey {
        &self.key
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `sqlcipher_export` inside one read transaction: the copy is the store
/// as of one moment, while the app goes on writing (WAL readers do not
/// block writers).
pub(super) async fn export(store: &Store) -> StoreResult<Snapshot> {
    let mut conn = store.pool.acquire().await?;
    let main: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&mut *conn)
            .await?;
    let path = PathBuf::from(format!("{main}.snapshot-{}", uuid::Uuid::now_v7()));
    let snapshot = Snapshot {
        path,
        key: StoreKey::generate(),
    };
    // The key is hex we made, not input.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE ? AS backup_snapshot KEY {}",
        snapshot.key.pragma_value()
    )))
    .bind(snapshot.path.to_string_lossy().as_ref())
    .execute(&mut *conn)
    .await?;
    let exported = async {
        let mut tx = conn.begin().await?;
        sqlx::query("SELECT sqlcipher_export('backup_snapshot')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(())
    }
    .await;
    // Detached whatever happened: the connection goes back to the pool.
    let detached = sqlx::query("DETACH DATABASE backup_snapshot")
        .execute(&mut *conn)
        .await;
    exported?;
    detached?;
    if is_plain_sqlite(&snapshot.path)? {
        return Err(StoreError::NotEncrypted);
    }
    Ok(snapshot)
}

/// Moves a restored copy from the key it was exported under to `new`.
pub(super) async fn rekey(path: &Path, old: &StoreKey, new: &StoreKey) -> StoreResult<()> {
    crate::sqlcipher::initialize_once()?;
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .pragma("key", old.pragma_value())
        .journal_mode(SqliteJournalMode::Delete)
        .disable_statement_logging()
        .connect()
        .await?;
    crate::sqlcipher::track(&mut conn).await?;
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sqlite_master")
        .fetch_one(&mut conn)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA rekey = {}",
        new.pragma_value()
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// A plain SQLite file starts with this; an encrypted one looks random.
fn is_plain_sqlite(path: &Path) -> StoreResult<bool> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    Ok(file.read_exact(&mut head).is_ok() && &head == b"SQLite format 3\0")
}
