//! Encrypted backups: a restore into a new folder with an empty keyring
//! brings the whole store back (sync state included); a wrong passphrase
//! or a damaged file is refused with nothing written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};

use tsunagu_store::{
    BackupKey, BackupSecrets, KeyringKeys, OpenMode, Store, StoreError, StoreKey, StoreLocation,
    SyncDevice, read_backup_header,
};
use uuid::Uuid;

const PASSPHRASE: &str = "さくら内科の復旧用パスフレーズ2026";

async fn store_with_a_patient(dir: &Path) -> (Store, Uuid) {
    let store = Store::open_file(
        &dir.join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &common::yamada(), "test", common::now())
        .await
        .unwrap();
    (store, id)
}

async fn backup_of(store: &Store, folder: &Path, secrets: &BackupSecrets) -> PathBuf {
    let key = BackupKey::from_new_passphrase(PASSPHRASE).unwrap();
    let target = folder.join("2026-11-24.tsunagu-backup");
    store
        .write_backup(&target, &key, "store-1", secrets, common::now())
        .await
        .unwrap();
    target
}

/// Never reached: every refusal here comes before the keyring is touched.
fn untouched_keyring() -> KeyringKeys {
    KeyringKeys::new(format!("jp.tsunagu.test.unused.{}", Uuid::now_v7()))
}

fn assert_nothing_restored(location: &StoreLocation) {
    assert!(!location.exists());
    let left: Vec<_> = std::fs::read_dir(location.dir())
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing left behind: {left:?}");
}

#[tokio::test]
async fn a_backup_holds_no_readable_patient_data_and_says_what_it_is() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (store, _) = store_with_a_patient(data.path()).await;
    let backup = backup_of(&store, folder.path(), &BackupSecrets::default()).await;

    let bytes = std::fs::read(&backup).unwrap();
    let name = "山田".as_bytes();
    assert!(!bytes.windows(name.len()).any(|w| w == name));
    assert!(!bytes.windows(15).any(|w| w == b"SQLite format 3"));
    let header = read_backup_header(&backup).unwrap();
    assert_eq!(header.store_id, "store-1");
    assert_eq!(header.created_at, common::now());
    // Only the backup is left in the folder, and no snapshot beside the store.
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_dir(data.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("snapshot"))
            .count(),
        0
    );
}

#[tokio::test]
async fn a_wrong_passphrase_is_refused_and_nothing_is_written() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (store, _) = store_with_a_patient(data.path()).await;
    let backup = backup_of(&store, folder.path(), &BackupSecrets::default()).await;

    let new_pc = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(new_pc.path().join("data"));
    let err = location
        .restore_backup(&backup, "まちがったパスフレーズです", &untouched_keyring())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::BackupPassphraseWrong), "{err:?}");
    assert_nothing_restored(&location);
}

#[tokio::test]
async fn a_truncated_or_altered_backup_is_refused_and_nothing_is_written() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (store, _) = store_with_a_patient(data.path()).await;
    let backup = backup_of(&store, folder.path(), &BackupSecrets::default()).await;
    let good = std::fs::read(&backup).unwrap();
    let header_end = 15 + 4 + u32::from_le_bytes(good[15..19].try_into().unwrap()) as usize;

    let mut flipped = good.clone();
    flipped[header_end + 100] ^= 1;
    let mut later_header = good.clone();
    let text = String::from_utf8_lossy(&good[19..header_end]).replace("2026-11-24", "2026-11-25");
    later_header.splice(19..header_end, text.into_bytes());
    type Expected = fn(&StoreError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Expected)> = vec![
        ("cut short", good[..good.len() - 40].to_vec(), |e| {
            matches!(e, StoreError::BackupDamaged)
        }),
        ("header only", good[..header_end].to_vec(), |e| {
            matches!(e, StoreError::BackupDamaged)
        }),
        ("a byte changed", flipped, |e| {
            matches!(e, StoreError::BackupDamaged)
        }),
        ("its date changed", later_header, |e| {
            matches!(e, StoreError::BackupDamaged)
        }),
        ("not a backup", b"SQLite format 3\0".to_vec(), |e| {
            matches!(e, StoreError::NotABackup)
        }),
    ];
    for (what, bytes, expected) in cases {
        let damaged = folder.path().join("damaged.tsunagu-backup");
        std::fs::write(&damaged, bytes).unwrap();
        let new_pc = tempfile::tempdir().unwrap();
        let location = StoreLocation::new(new_pc.path());
        let err = location
            .restore_backup(&damaged, PASSPHRASE, &untouched_keyring())
            .await
            .unwrap_err();
        assert!(expected(&err), "{what}: {err:?}");
        assert_nothing_restored(&location);
    }
}

#[tokio::test]
async fn a_restore_never_overwrites_a_store() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (store, _) = store_with_a_patient(data.path()).await;
    let backup = backup_of(&store, folder.path(), &BackupSecrets::default()).await;
    store.close().await;
    let before = std::fs::read(data.path().join("tsunagu.db")).unwrap();

    let err = StoreLocation::new(data.path())
        .restore_backup(&backup, PASSPHRASE, &untouched_keyring())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::RestoreWouldOverwrite), "{err:?}");
    assert_eq!(
        std::fs::read(data.path().join("tsunagu.db")).unwrap(),
        before
    );
}

#[tokio::test]
async fn a_short_passphrase_is_refused() {
    assert!(matches!(
        BackupKey::from_new_passphrase("short"),
        Err(StoreError::PassphraseTooShort)
    ));
}

#[tokio::test]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_backup_restores_on_a_new_pc_with_an_empty_keyring_sync_state_and_all() {
    KeyringKeys::check_available().expect("run under scripts/test-session.sh");
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (store, patient) = store_with_a_patient(data.path()).await;
    let device = SyncDevice {
        server_url: "https://tsunagu.example.jp".into(),
        device_id: Uuid::now_v7(),
        organisation_id: Uuid::now_v7(),
        organisation_name: "さくら内科".into(),
        enrolled_at: common::now(),
    };
    store.save_sync_device(&device, "test").await.unwrap();
    let pending = store.pending_count().await.unwrap();
    let secrets = BackupSecrets {
        sync_secret: Some((device.device_id.to_string(), "device-secret".into())),
    };
    let backup = backup_of(&store, folder.path(), &secrets).await;

    // A new PC: another folder, a keyring service that holds nothing.
    let new_keyring = KeyringKeys::new(format!("jp.tsunagu.test.{}", Uuid::now_v7()));
    let new_pc = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(new_pc.path().join("data"));
    let (restored, brought) = location
        .restore_backup(&backup, PASSPHRASE, &new_keyring)
        .await
        .unwrap();
    assert_eq!(brought, secrets);
    assert_eq!(
        restored.patient(patient).await.unwrap().fields.name,
        "山田　太郎"
    );
    assert_eq!(restored.sync_device().await.unwrap(), Some(device.clone()));
    assert_eq!(restored.pending_count().await.unwrap(), pending);
    assert_eq!(
        new_keyring
            .load_sync_secret(&device.device_id.to_string())
            .unwrap(),
        "device-secret"
    );
    restored.close().await;

    // The next start opens it like any store, with the new key.
    let reopened = location.open_or_create(&new_keyring).await.unwrap();
    assert!(reopened.patient(patient).await.is_ok());
    reopened.close().await;
    let store_id = location.read_store_id().unwrap();
    assert_ne!(
        store_id, "store-1",
        "a restored store gets an id of its own"
    );
    new_keyring.delete(&store_id).unwrap();
}
