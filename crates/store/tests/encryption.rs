//! The store is a real SQLCipher file: readable with its key, and with
//! nothing else.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::Command;

use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use tsunagu_store::{OpenMode, Store, StoreError, StoreKey};
use uuid::Uuid;

async fn new_store(dir: &std::path::Path, key: &StoreKey) -> Store {
    Store::open_file(&dir.join("t.db"), key, OpenMode::CreateNew)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_row_written_with_the_key_reads_back_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let store = new_store(dir.path(), &key).await;
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &common::yamada(), "test", common::now())
        .await
        .unwrap();
    store.close().await;

    let store = Store::open_file(&dir.path().join("t.db"), &key, OpenMode::ExistingOnly)
        .await
        .unwrap();
    let read = store.open_patient(id, "test", common::now()).await.unwrap();
    assert_eq!(read.fields, common::yamada());
}

#[tokio::test]
async fn the_file_is_not_a_database_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let store = new_store(dir.path(), &key).await;
    store
        .insert_patient(Uuid::now_v7(), &common::yamada(), "test", common::now())
        .await
        .unwrap();
    store.close().await;
    let path = dir.path().join("t.db");

    // Plain sqlx, no key.
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    let err = sqlx::query("SELECT count(*) FROM patients")
        .fetch_one(&mut conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("file is not a database"), "{err}");

    // The stock sqlite3 tool.
    let out = Command::new("sqlite3")
        .arg(&path)
        .arg("SELECT count(*) FROM patients;")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("file is not a database"));

    // No patient text anywhere in the bytes on disk (WAL checkpointed on close).
    let bytes = std::fs::read(&path).unwrap();
    for needle in ["山田", "やまだ", "A-1001", "ペースメーカー"] {
        assert!(
            !contains(&bytes, needle.as_bytes()),
            "{needle} found in plaintext"
        );
    }
}

#[tokio::test]
async fn another_key_is_refused_and_the_file_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path(), &StoreKey::generate()).await;
    store
        .insert_patient(Uuid::now_v7(), &common::yamada(), "test", common::now())
        .await
        .unwrap();
    store.close().await;
    let path = dir.path().join("t.db");
    let before = std::fs::read(&path).unwrap();

    let err = Store::open_file(&path, &StoreKey::generate(), OpenMode::ExistingOnly)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::WrongKey), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn an_existing_file_is_never_replaced_by_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    new_store(dir.path(), &key).await.close().await;
    let err = Store::open_file(&dir.path().join("t.db"), &key, OpenMode::CreateNew)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Io(_)), "{err:?}");
    let err = Store::open_file(&dir.path().join("missing.db"), &key, OpenMode::ExistingOnly)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert!(!dir.path().join("missing.db").exists());
}

#[tokio::test]
async fn the_audit_log_cannot_be_edited() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let store = new_store(dir.path(), &key).await;
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &common::yamada(), "dr-sato", common::now())
        .await
        .unwrap();
    store.close().await;

    let mut conn = SqliteConnectOptions::new()
        .filename(dir.path().join("t.db"))
        .pragma("key", format!("\"x'{}'\"", key_hex(&key)))
        .connect()
        .await
        .unwrap();
    for sql in [
        "UPDATE audit_log SET actor = 'someone-else'",
        "DELETE FROM audit_log",
    ] {
        let err = sqlx::query(sql).execute(&mut conn).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn key_hex(key: &StoreKey) -> String {
    key.expose_hex_for_tests()
}
