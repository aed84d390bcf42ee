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

pub(crate) async fn open_pool(
    path: &Path,
    key: &StoreKey,
    mode: OpenMode,
) -> StoreResult<SqlitePool> {
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
    let options = connect_options(path, mode == OpenMode::CreateNew)
        // sqlx issues `key` before any other pragma on each new connection.
        .pragma("key", key.pragma_value());
    let pool = connect(options).await?;
    verify_encrypted(&pool).await?;
    MIGRATOR.run(&pool).await?;
    crate::search::rebuild_index_if_stale(&pool).await?;
    crate::referral_summary::rebuild_if_stale(&pool).await?;
    Ok(pool)
}

/// BENCHMARK ONLY (`examples/bench_search.rs`): the same connection and pool
/// settings as [`open_pool`] but no key, so the file is plain SQLite. It
/// exists to measure what SQLCipher costs; no app code may call it.
pub(crate) async fn open_unencrypted_pool_for_bench(path: &Path) -> StoreResult<SqlitePool> {
    let pool = connect(connect_options(path, true)).await?;
    MIGRATOR.run(&pool).await?;
    crate::search::rebuild_index_if_stale(&pool).await?;
    crate::referral_summary::rebuild_if_stale(&pool).await?;
    Ok(pool)
}

/// Everything about a connection except the key.
fn connect_options(path: &Path, create: bool) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // SQLCipher decrypts each page it reads; a page cache that holds the
        // search indexes (64 MiB a connection) keeps that off the hot path.
        .pragma("cache_size", "-65536")
        // Statement logging would print the PRAGMA key line.
        .disable_statement_logging()
}

async fn connect(options: SqliteConnectOptions) -> StoreResult<SqlitePool> {
    crate::sqlcipher::initialize_once()?;
    Ok(SqlitePoolOptions::new()
        .max_connections(4)
        // No background "minimum" connections: on a brand-new file two
        // connections switching it to WAL at once can fail with SQLITE_BUSY.
        .min_connections(0)
        .after_connect(|conn, _| Box::pin(crate::sqlcipher::track(conn)))
        .connect_with(options)
        .await?)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A new store in `dir` with the migrations before `version` applied.
    async fn migrated_before(dir: &tempfile::TempDir, version: i64) -> SqlitePool {
        let key = StoreKey::generate();
        let options =
            connect_options(&dir.path().join("t.db"), true).pragma("key", key.pragma_value());
        let pool = connect(options).await.unwrap();
        let before = MIGRATOR
            .migrations
            .iter()
            .position(|m| m.version == version)
            .unwrap();
        let mut older = sqlx::migrate::Migrator::new(std::path::Path::new("./migrations"))
            .await
            .unwrap();
        older.migrations = std::borrow::Cow::Owned(MIGRATOR.migrations[..before].to_vec());
        older.run(&pool).await.unwrap();
        pool
    }

    /// Migration 0016 builds `referral_events` again to take events a team
    /// member reported: every event stays, with what points at it, and
    /// the table stays append-only.
    #[tokio::test]
    async fn the_events_rebuilt_for_team_reports_keep_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        let pool = migrated_before(&dir, 16).await;
        let mut conn = pool.acquire().await.unwrap();
        for sql in [
            "PRAGMA foreign_keys = OFF",
            "INSERT INTO referral_events (id, referral_id, status, details, voids, note, source, actor, at)
             VALUES ('e1', 'r', 'sent', '{}', NULL, '', 'clinic', 'a', 't'),
                    ('e2', 'r', NULL, NULL, NULL, '退院は来月', 'liaison', 'h', 't')",
            "INSERT INTO synced_events (event_id, feed_seq) VALUES ('e1', 7)",
            "PRAGMA foreign_keys = ON",
        ] {
            sqlx::query(sql).execute(&mut *conn).await.unwrap();
        }
        let team = "INSERT INTO referral_events (id, referral_id, status, details, note, source, actor, at)
             VALUES ('e3', 'r', 'deceased', '{}', '', 'team', 'n', 't')";
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        assert!(sqlx::query(team).execute(&mut *conn).await.is_err());
        drop(conn);

        MIGRATOR.run(&pool).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query(team).execute(&mut *conn).await.unwrap();
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT seq, id, source FROM referral_events ORDER BY seq")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        let ids: Vec<(&str, &str)> = rows
            .iter()
            .map(|(_, id, s)| (id.as_str(), s.as_str()))
            .collect();
        assert_eq!(ids, [("e1", "clinic"), ("e2", "liaison"), ("e3", "team")]);
        let synced: i64 =
            sqlx::query_scalar("SELECT feed_seq FROM synced_events WHERE event_id = 'e1'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(synced, 7);
        let err = sqlx::query("DELETE FROM referral_events WHERE id = 'e3'")
            .execute(&mut *conn)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        let odd = "INSERT INTO referral_events (id, referral_id, status, details, note, source, actor, at)
             VALUES ('e4', 'r', 'deceased', '{}', '', 'someone', 'n', 't')";
        assert!(sqlx::query(odd).execute(&mut *conn).await.is_err());
    }

    /// Migration 0015 builds the outbox again (SQLite cannot widen a
    /// CHECK): the rows keep their numbers and ids, a number once used is
    /// never given again (the server remembers it), and a new row still
    /// gets its id.
    #[tokio::test]
    async fn the_rebuilt_outbox_keeps_its_numbers_and_never_reuses_one() {
        let dir = tempfile::tempdir().unwrap();
        let pool = migrated_before(&dir, 15).await;
        for n in 0..3 {
            sqlx::query(
                "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
                 VALUES ('patient_shared', ?, ?, '2026-11-24T00:00:00Z')",
            )
            .bind(format!("r{n}"))
            .bind(format!("p{n}"))
            .execute(&pool)
            .await
            .unwrap();
        }
        // The newest row went (a withdrawal held it back): its number stays used.
        sqlx::query("DELETE FROM sync_outbox WHERE op_seq = 3")
            .execute(&pool)
            .await
            .unwrap();
        let rows_before: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT op_seq, op_id, record_id FROM sync_outbox ORDER BY op_seq")
                .fetch_all(&pool)
                .await
                .unwrap();

        MIGRATOR.run(&pool).await.unwrap();
        let rows_after: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT op_seq, op_id, record_id FROM sync_outbox ORDER BY op_seq")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(rows_after, rows_before);
        sqlx::query(
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
             VALUES ('team', 't', 'p', '2026-11-24T00:00:00Z', '{}')",
        )
        .execute(&pool)
        .await
        .unwrap();
        let (seq, id): (i64, Option<String>) =
            sqlx::query_as("SELECT op_seq, op_id FROM sync_outbox WHERE kind = 'team'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(seq, 4, "3 was used before the rebuild");
        assert_eq!(id.map(|i| i.len()), Some(36));
        // A team row without its operation, or another row with one, is refused.
        for bad in [
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             VALUES ('team', 't', 'p', '2026-11-24T00:00:00Z')",
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
             VALUES ('patient_shared', 't', 'p', '2026-11-24T00:00:00Z', '{}')",
        ] {
            assert!(sqlx::query(bad).execute(&pool).await.is_err(), "{bad}");
        }
        pool.close().await;
    }

    /// Migration 0017 adds 事前登録 to the consents: a consent recorded
    /// before it pre-registers nobody, and the column of hospitals holds a
    /// JSON array, empty unless the scope is named.
    #[tokio::test]
    async fn consents_from_before_preregistration_preregister_nobody() {
        let dir = tempfile::tempdir().unwrap();
        let pool = migrated_before(&dir, 17).await;
        let mut conn = pool.acquire().await.unwrap();
        let old = |id: &str| {
            format!(
                "INSERT INTO consents (id, patient_id, obtained_on, obtained_by, share_with_desk,
                   share_with_hospital, share_with_team, withdrawn_on, recorded_at, updated_at)
                 VALUES ('{id}', 'p', '2026-11-01', '鈴木', 1, 0, 1, NULL, 't', 't')"
            )
        };
        for sql in ["PRAGMA foreign_keys = OFF".to_string(), old("c1")] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        drop(conn);

        MIGRATOR.run(&pool).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let row: (bool, String, bool, bool) = sqlx::query_as(
            "SELECT preregistration, preregistered_with, share_with_desk, share_with_team
             FROM consents WHERE id = 'c1'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(row, (false, "[]".to_string(), true, true));
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        let with = |id: &str, scope: i64, hospitals: &str| {
            format!(
                "INSERT INTO consents (id, patient_id, obtained_on, obtained_by, share_with_desk,
                   share_with_hospital, share_with_team, preregistration, preregistered_with,
                   withdrawn_on, recorded_at, updated_at)
                 VALUES ('{id}', 'p', '2026-11-01', '鈴木', 0, 0, 0, {scope}, '{hospitals}',
                   NULL, 't', 't')"
            )
        };
        for good in [
            with("c2", 1, "[]"),
            with("c3", 1, r#"["0193a0f0-0000-7000-8000-000000000001"]"#),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(good.clone()))
                .execute(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("{good}: {e}"));
        }
        // Hospitals without the scope, text that is no JSON array, or a
        // scope that is no flag, are refused.
        for bad in [
            with("c4", 0, r#"["0193a0f0-0000-7000-8000-000000000001"]"#),
            with("c5", 1, "not json"),
            with("c6", 1, r#"{"a":1}"#),
            with("c7", 2, "[]"),
        ] {
            let err = sqlx::query(sqlx::AssertSqlSafe(bad.clone()))
                .execute(&mut *conn)
                .await
                .unwrap_err();
            assert!(err.to_string().contains("CHECK"), "{bad}: {err}");
        }
        drop(conn);
        pool.close().await;
    }

    /// Migration 0018 builds the outbox again for the doctor's answers to
    /// 退院後の在宅医療の相談: rows, numbers and ids stay, no number is
    /// given twice, and an answer carries its operation like a team row.
    #[tokio::test]
    async fn the_outbox_rebuilt_for_discharge_answers_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let pool = migrated_before(&dir, 18).await;
        for (kind, payload) in [
            ("patient_shared", None),
            ("team", Some("{\"op\":1}")),
            ("consent_recorded", None),
        ] {
            sqlx::query(
                "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
                 VALUES (?, 'r', 'p', '2026-11-24T00:00:00Z', ?)",
            )
            .bind(kind)
            .bind(payload)
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query("UPDATE sync_outbox SET state = 'refused', refusal = '理由' WHERE op_seq = 2")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM sync_outbox WHERE op_seq = 3")
            .execute(&pool)
            .await
            .unwrap();
        type OutboxRow = (i64, String, String, String, Option<String>, Option<String>);
        let read = "SELECT op_seq, op_id, kind, state, refusal, payload FROM sync_outbox
                    ORDER BY op_seq";
        let before: Vec<OutboxRow> = sqlx::query_as(read).fetch_all(&pool).await.unwrap();

        MIGRATOR.run(&pool).await.unwrap();
        let after: Vec<OutboxRow> = sqlx::query_as(read).fetch_all(&pool).await.unwrap();
        assert_eq!(after, before);
        sqlx::query(
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
             VALUES ('discharge_answer', 'd', 'p', '2026-11-24T00:00:00Z', '{}')",
        )
        .execute(&pool)
        .await
        .unwrap();
        let (seq, id): (i64, Option<String>) =
            sqlx::query_as("SELECT op_seq, op_id FROM sync_outbox WHERE kind = 'discharge_answer'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(seq, 4, "3 was used before the rebuild");
        assert_eq!(id.map(|i| i.len()), Some(36));
        for bad in [
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             VALUES ('discharge_answer', 'd', 'p', '2026-11-24T00:00:00Z')",
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             VALUES ('something_else', 'd', 'p', '2026-11-24T00:00:00Z')",
        ] {
            assert!(sqlx::query(bad).execute(&pool).await.is_err(), "{bad}");
        }
        pool.close().await;
    }
}
