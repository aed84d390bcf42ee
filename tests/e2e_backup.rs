//! A dead PC, end to end in the real desktop app: the clinic sets its
//! recovery passphrase, chooses the backup folder and backs up (the OS
//! dialogs answered on the display); a new PC with an empty data folder
//! restores the backup from the start screen, refusing a wrong passphrase
//! without writing anything, and opens on the clinic's data. Runs under
//! `make test` (display, Secret Service, tauri-driver).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock and waits on a real window"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Client;

mod support;
use support::desktop::*;

const PASSPHRASE: &str = "さくら内科の復旧用パスフレーズ2026";

#[tokio::test]
#[ignore = "needs the OS keyring, a display and tauri-driver: run `make test`"]
async fn a_backup_made_on_one_pc_is_restored_on_a_new_one() {
    let old_pc = tempfile::tempdir().unwrap();
    let new_pc = tempfile::tempdir().unwrap();
    // Not a hidden name (tempdir's ".tmp…"): GTK's folder dialog will not
    // choose a hidden folder typed into its location bar.
    let usb = tempfile::Builder::new().prefix("usb-").tempdir().unwrap();
    let driver = Driver::start();

    let client = open_app(&driver, old_pc.path()).await;
    tokio::time::timeout(WAIT * 6, set_up_and_back_up(&client, usb.path()))
        .await
        .expect("setting up backups took longer than its time limit");
    client.close().await.unwrap();
    let backup = only_backup_in(usb.path());

    let client = open_app(&driver, new_pc.path()).await;
    tokio::time::timeout(
        WAIT * 6,
        restore_on_the_new_pc(&client, &backup, new_pc.path()),
    )
    .await
    .expect("the restore took longer than its time limit");
    client.close().await.unwrap();
}

async fn set_up_and_back_up(client: &Client, usb: &Path) {
    // The first start's last step: the passphrase and the folder.
    start_new_clinic(client).await;
    wait_for_text(client, "#backup-passphrase-state", "未設定").await;
    fill(
        client,
        "form#backup-passphrase-form input[name=passphrase]",
        PASSPHRASE,
    )
    .await;
    fill(
        client,
        "form#backup-passphrase-form input[name=confirmation]",
        PASSPHRASE,
    )
    .await;
    press(client, "#set-backup-passphrase").await;
    wait_for_text(client, "#backup-passphrase-state", "設定済み").await;
    // The sheet with the passphrase on it is offered while it was just typed.
    wait_for_text(client, "#print-recovery-sheet", "パスフレーズ入り").await;
    let dialog = answer_folder_dialog("バックアップ先のフォルダを選ぶ", usb.to_path_buf());
    press(client, "#choose-backup-folder").await;
    dialog.join().unwrap();
    wait_for_text(client, "#backup-folder", &usb.display().to_string()).await;
    screenshot_display(&artifacts().join("e2e-first-backup-setup.png"));
    finish_setup(client).await;

    press(client, "#new-patient").await;
    fill(client, "form#patient-form input[name=name]", "鈴木　一郎").await;
    fill(
        client,
        "form#patient-form input[name=kana]",
        "すずき　いちろう",
    )
    .await;
    fill(client, "form#patient-form input[name=birthDate]", "S20.5.5").await;
    wait_for_text(client, "#birth-date-preview", "昭和20年5月5日（").await;
    click(client, "form#patient-form input[name=sex][value=male]").await;
    click(client, "form#patient-form button[type=submit]").await;
    wait_for_count(client, "tr[data-testid=patient-row]", 1).await;

    // 今すぐバックアップ from the settings, with the patient in it.
    press(client, "#clinic-settings").await;
    wait_for_text(client, "#backup-passphrase-state", "設定済み").await;
    press(client, "#backup-now").await;
    wait_for_text(client, "#last-backup", "最終バックアップ: 20").await;
    // The settings as the clinic sees them once backups run.
    client
        .execute(
            "document.querySelector('#backup-settings').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot_display(&artifacts().join("e2e-backup-settings.png"));
}

async fn restore_on_the_new_pc(client: &Client, backup: &Path, new_pc: &Path) {
    wait_for_text(client, "#start-screen", "バックアップから復元").await;
    press(client, "#start-restore").await;
    let dialog = answer_file_dialog("バックアップファイルを選ぶ", backup.to_path_buf(), true);
    press(client, "#choose-backup-file").await;
    dialog.join().unwrap();
    wait_for_text(client, "#chosen-backup", "に作成").await;

    // A mistyped passphrase: refused, and nothing written on the new PC.
    fill(
        client,
        "form#restore-form input[name=passphrase]",
        "まちがったパスフレーズです",
    )
    .await;
    press(client, "#restore-backup").await;
    wait_for_text(client, "[data-error-for=passphrase]", "一致しません").await;
    assert!(
        !new_pc.join("tsunagu.db").exists(),
        "a refused restore must leave the new PC's folder without a store"
    );
    screenshot_display(&artifacts().join("e2e-restore-refused.png"));

    fill(
        client,
        "form#restore-form input[name=passphrase]",
        PASSPHRASE,
    )
    .await;
    press(client, "#restore-backup").await;
    // The clinic's accounts came with the backup.
    sign_in(client).await;
    wait_for_text(client, "#clinic-name", "さくら内科クリニック").await;
    let row = wait_for_text(client, "tr[data-testid=patient-row]", "鈴木").await;
    assert!(row.contains("昭和20年5月5日"), "{row}");
    screenshot_display(&artifacts().join("e2e-restored.png"));

    // ロック: the patient list is hidden until the account unlocks.
    press(client, "#lock-now").await;
    wait_for_text(client, "#lock-screen", "画面をロックしています").await;
    let shown = client
        .execute(
            "return document.querySelector('.session-app').hidden;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown,
        serde_json::Value::Bool(true),
        "the app is hidden while locked"
    );
    screenshot_display(&artifacts().join("e2e-locked.png"));
    fill(client, "form#unlock-form input[name=secret]", PASSWORD).await;
    press(client, "#unlock-submit").await;
    // (The list was there all along, hidden: wait for the lock to go.)
    wait_for_count(client, "#lock-screen", 0).await;
    wait_for_text(client, "tr[data-testid=patient-row]", "鈴木").await;

    // The administrator's accounts page.
    press(client, "#clinic-settings").await;
    wait_for_text(client, "#accounts-table", "sato").await;
    client
        .execute(
            "document.querySelector('#account-settings').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot_display(&artifacts().join("e2e-accounts.png"));
}

fn only_backup_in(folder: &Path) -> PathBuf {
    let backups: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsunagu-backup"))
        .collect();
    assert_eq!(backups.len(), 1, "one backup in {}", folder.display());
    backups.into_iter().next().unwrap()
}
