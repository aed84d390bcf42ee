//! The store key in a real Secret Service (gnome-keyring on a private D-Bus
//! session, started by scripts/test-session.sh), not an in-memory stand-in.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test fails by panicking; its notes go to the test output"
)]

mod common;

use std::process::Command;

use tsunagu_store::{KeyringKeys, StoreError, StoreKey, StoreLocation};
use uuid::Uuid;

/// A fresh keyring service. These tests are `#[ignore]`d: `make test` runs
/// them in a session that has a Secret Service, and without one they fail.
fn keyring() -> KeyringKeys {
    if let Err(e) = KeyringKeys::check_available() {
        panic!("no Secret Service ({e}); run these tests under `make test`");
    }
    KeyringKeys::new(format!("jp.tsunagu.test.{}", Uuid::now_v7()))
}

#[test]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
fn a_key_saved_in_the_keyring_reads_back_in_another_process() {
    let keys = keyring();
    let key = StoreKey::generate();
    keys.save("round-trip", &key).unwrap();
    assert_eq!(keys.load("round-trip").unwrap(), key);

    // secret-tool is a separate process talking to the same Secret Service.
    let service = keys_service(&keys);
    let out = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            &service,
            "username",
            "store-key:round-trip",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        key.expose_hex_for_tests()
    );

    keys.delete("round-trip").unwrap();
    assert!(matches!(
        keys.load("round-trip"),
        Err(StoreError::KeyMissing)
    ));
}

#[tokio::test]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn first_start_creates_the_store_and_the_next_start_opens_it() {
    let keys = keyring();
    let dir = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(dir.path().join("data"));
    let store = location.open_or_create(&keys).await.unwrap();
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &common::yamada(), "test", common::now())
        .await
        .unwrap();
    store.close().await;

    let store = location.open_or_create(&keys).await.unwrap();
    assert_eq!(
        store
            .open_patient(id, "test", common::now())
            .await
            .unwrap()
            .fields,
        common::yamada()
    );
    store.close().await;
    keys.delete(&location.read_store_id().unwrap()).unwrap();
}

#[tokio::test]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_store_whose_key_is_gone_is_reported_and_left_untouched() {
    let keys = keyring();
    let dir = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(dir.path());
    location.open_or_create(&keys).await.unwrap().close().await;
    keys.delete(&location.read_store_id().unwrap()).unwrap();
    let before = std::fs::read(location.database_path()).unwrap();

    let err = location.open_or_create(&keys).await.unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err:?}");
    assert_eq!(std::fs::read(location.database_path()).unwrap(), before);
}

#[tokio::test]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_store_whose_data_file_is_gone_is_refused_not_replaced() {
    let keys = keyring();
    let dir = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(dir.path());
    location.open_or_create(&keys).await.unwrap().close().await;
    let store_id = location.read_store_id().unwrap();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let path = file.unwrap().path();
        if path.to_string_lossy().contains("tsunagu.db") {
            std::fs::remove_file(path).unwrap();
        }
    }

    let err = location.open_or_create(&keys).await.unwrap_err();
    assert!(matches!(err, StoreError::DataFileMissing), "{err:?}");
    assert!(!location.exists(), "no new empty store was made");
    assert_eq!(location.read_store_id().unwrap(), store_id);
    assert!(keys.load(&store_id).is_ok(), "the old key is kept");
}

fn keys_service(keys: &KeyringKeys) -> String {
    keys.service().to_string()
}
