//! Backups as the clinic meets them: set up, made, missed, pruned, and
//! restored on a new PC with an empty keyring. Real SQLCipher, the real
//! keyring (under scripts/test-session.sh), real files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tsunagu_app::{
    AccountInput, App, Clock, ErrorCode, KeyringKeys, PatientDraft, Sex, StoreLocation,
};
use uuid::Uuid;

const PASSPHRASE: &str = "さくら内科の復旧用パスフレーズ2026";

struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

fn keyring() -> KeyringKeys {
    KeyringKeys::check_available().expect("run under scripts/test-session.sh");
    KeyringKeys::new(format!("jp.tsunagu.test.{}", Uuid::now_v7()))
}

/// Backups are the administrator's to set up: the first account, signed in.
async fn administrator(app: &App) {
    app.create_first_account(&AccountInput {
        login: "sato".into(),
        display_name: "佐藤 花子".into(),
        role: "doctor".into(),
        is_admin: true,
        password: "さくら内科の院長です".into(),
    })
    .await
    .unwrap();
}

fn patient() -> PatientDraft {
    PatientDraft {
        name: "山田　太郎".into(),
        kana: "やまだ　たろう".into(),
        birth_date: "1950-04-01".into(),
        sex: Some(Sex::Male),
        ..PatientDraft::default()
    }
}

fn backups_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tsunagu-backup")
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_clinic_sets_up_backups_misses_one_and_restores_on_a_new_pc() {
    let clock = Arc::new(TestClock(Mutex::new(
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
    )));
    let keys = keyring();
    let data = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let app = App::open(
        &StoreLocation::new(data.path()),
        &keys,
        clock.clone(),
        "test",
    )
    .await
    .unwrap();
    administrator(&app).await;
    let patient = app.create_patient(&patient()).await.unwrap();

    let view = app.backup_view().await.unwrap();
    assert_eq!(view.last_backup_label, "最終バックアップ: まだありません");
    assert_eq!(
        view.attention.as_deref(),
        Some("バックアップが設定されていません")
    );
    let err = app.backup_now().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);

    let err = app.set_backup_passphrase("みじかい").await.unwrap_err();
    assert_eq!(err.fields[0].field, "passphrase");
    app.set_backup_passphrase(PASSPHRASE).await.unwrap();
    assert_eq!(
        app.set_backup_passphrase(PASSPHRASE)
            .await
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    let err = app
        .set_backup_folder(&usb.path().join("no-such-folder"))
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "folder");
    app.set_backup_folder(usb.path()).await.unwrap();

    let view = app
        .backup_if_due()
        .await
        .unwrap()
        .expect("a first backup is due");
    assert_eq!(
        view.last_backup_label,
        "最終バックアップ: 2026年11月24日 18:00"
    );
    assert_eq!(view.attention, None);
    assert_eq!(backups_in(usb.path()), 1);
    clock.advance(Duration::hours(2));
    assert_eq!(app.backup_if_due().await.unwrap(), None, "one a day");

    // Three days without a backup: missed (要確認).
    clock.advance(Duration::days(3));
    assert_eq!(
        app.backup_view().await.unwrap().attention.as_deref(),
        Some("バックアップが2日以上取れていません")
    );
    // The USB disk is unplugged: said so, and on 要確認.
    let unplugged = usb.path().with_extension("unplugged");
    std::fs::rename(usb.path(), &unplugged).unwrap();
    let err = app.backup_now().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::StoreUnavailable);
    assert!(err.message.contains("接続できません"), "{}", err.message);
    assert_eq!(
        app.backup_view().await.unwrap().attention.as_deref(),
        Some("バックアップ先のフォルダに書き込めません")
    );
    std::fs::rename(&unplugged, usb.path()).unwrap();
    app.backup_now().await.unwrap();
    assert_eq!(app.backup_view().await.unwrap().attention, None);
    app.close().await;

    // A new PC: an empty keyring, an empty data folder, the USB disk.
    let newest = std::fs::read_dir(usb.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .max()
        .unwrap();
    let new_keys = keyring();
    let new_pc = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(new_pc.path().join("data"));
    let err = App::restore(
        &location,
        &new_keys,
        &newest,
        "まちがったパスフレーズです",
        clock.clone(),
        "test",
    )
    .await
    .err()
    .unwrap();
    assert_eq!(err.fields[0].field, "passphrase");
    assert!(!location.exists());
    let restored = App::restore(
        &location,
        &new_keys,
        &newest,
        PASSPHRASE,
        clock.clone(),
        "test",
    )
    .await
    .unwrap();
    assert_eq!(
        restored
            .open_patient(&patient.id.to_string())
            .await
            .unwrap()
            .fields
            .name,
        "山田　太郎"
    );
    let view = restored.backup_view().await.unwrap();
    assert!(
        view.passphrase_set,
        "the passphrase guards the new PC's backups too"
    );
    assert_eq!(view.folder.as_deref(), Some(usb.path().to_str().unwrap()));
    restored.close().await;
    // And it opens at the next start.
    let reopened = App::open(&location, &new_keys, clock.clone(), "test")
        .await
        .unwrap();
    reopened.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn daily_backups_keep_their_generations_and_nothing_else_in_the_folder() {
    let clock = Arc::new(TestClock(Mutex::new(
        Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap(),
    )));
    let data = tempfile::tempdir().unwrap();
    let nas = tempfile::tempdir().unwrap();
    std::fs::write(nas.path().join("someone-elses.txt"), "x").unwrap();
    let app = App::open(
        &StoreLocation::new(data.path()),
        &keyring(),
        clock.clone(),
        "test",
    )
    .await
    .unwrap();
    administrator(&app).await;
    app.set_backup_passphrase(PASSPHRASE).await.unwrap();
    app.set_backup_folder(nas.path()).await.unwrap();
    for _ in 0..45 {
        app.backup_now().await.unwrap();
        clock.advance(Duration::days(1));
    }
    // 7 daily + the newest of older weeks + the newest of January.
    let kept = backups_in(nas.path());
    assert!((8..=12).contains(&kept), "{kept}");
    assert!(nas.path().join("someone-elses.txt").exists());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn the_administrator_prints_the_sheet_and_changes_the_passphrase() {
    let clock = Arc::new(TestClock(Mutex::new(
        Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0).unwrap(),
    )));
    let data = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let app = App::open(
        &StoreLocation::new(data.path()),
        &keyring(),
        clock.clone(),
        "test",
    )
    .await
    .unwrap();
    administrator(&app).await;
    let nameless = app.recovery_sheet_pdf(None).await.unwrap_err();
    assert!(nameless.message.contains("医療機関情報"), "{nameless:?}");
    tsunagu_testkit::fixtures::save_clinic(&app).await;
    app.set_backup_passphrase(PASSPHRASE).await.unwrap();
    app.set_backup_folder(usb.path()).await.unwrap();

    // The sheet prints the passphrase only if it is the one set.
    let wrong = app
        .recovery_sheet_pdf(Some("まちがったパスフレーズです"))
        .await
        .unwrap_err();
    assert_eq!(wrong.fields[0].field, "passphrase");
    let sheet = app.recovery_sheet_pdf(Some(PASSPHRASE)).await.unwrap();
    assert!(sheet.starts_with(b"%PDF"));
    assert!(
        app.recovery_sheet_pdf(None)
            .await
            .unwrap()
            .starts_with(b"%PDF")
    );

    // Changing it needs the current one; backups from then on take the new.
    const NEW: &str = "あたらしい復旧用パスフレーズ2027";
    let refused = app
        .change_backup_passphrase("まちがったパスフレーズです", NEW)
        .await
        .unwrap_err();
    assert_eq!(refused.fields[0].field, "currentPassphrase");
    app.change_backup_passphrase(PASSPHRASE, NEW).await.unwrap();
    app.recovery_sheet_pdf(Some(NEW)).await.unwrap();
    app.backup_now().await.unwrap();
    app.close().await;
    let backup = std::fs::read_dir(usb.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .max()
        .unwrap();
    let location = StoreLocation::new(tempfile::tempdir().unwrap().keep());
    let old = App::restore(
        &location,
        &keyring(),
        &backup,
        PASSPHRASE,
        clock.clone(),
        "t",
    )
    .await;
    assert_eq!(old.err().unwrap().fields[0].field, "passphrase");
    let restored = App::restore(&location, &keyring(), &backup, NEW, clock.clone(), "t")
        .await
        .unwrap();
    restored.close().await;
}
