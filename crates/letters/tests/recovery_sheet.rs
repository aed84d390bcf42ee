//! The recovery sheet (復旧シート): one page whose text poppler reads back,
//! the passphrase on it exactly as typed (or the box to write it in), and
//! the restore steps. Saved as artifacts/recovery-sheet*.png to look at.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{pages, poppler, text};
use tsunagu_letters::{RecoverySheet, render_recovery_sheet_pdf};

fn sheet(passphrase: Option<&str>) -> RecoverySheet {
    RecoverySheet {
        clinic_name: "医療法人社団さくら会　さくら内科クリニック".into(),
        made_on: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
        store_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        backup_folder: Some("/media/sakura/USB-BACKUP/tsunagu".into()),
        passphrase: passphrase.map(str::to_string),
    }
}

fn render(dir: &Path, name: &str, sheet: &RecoverySheet) -> String {
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf, render_recovery_sheet_pdf(sheet).unwrap()).unwrap();
    assert_eq!(pages(&pdf), 1);
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let prefix = artifacts.join(name);
    poppler(
        "pdftoppm",
        &[
            "-r",
            "80",
            "-png",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    text(&pdf)
}

#[test]
fn the_sheet_carries_the_passphrase_as_typed_and_the_steps() {
    let dir = tempfile::tempdir().unwrap();
    let passphrase = "さくら内科の復旧用パスフレーズ2026";
    let page = render(dir.path(), "recovery-sheet", &sheet(Some(passphrase)));
    for expected in [
        "つなぐ 復旧シート",
        "医療法人社団さくら会　さくら内科クリニック",
        "令和8年12月6日",
        "/media/sakura/USB-BACKUP/tsunagu",
        "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "バックアップから復元",
        passphrase,
    ] {
        assert!(page.contains(expected), "{expected} missing from\n{page}");
    }
}

#[test]
fn without_the_passphrase_the_sheet_has_a_box_to_write_it_in() {
    let dir = tempfile::tempdir().unwrap();
    let page = render(dir.path(), "recovery-sheet-blank", &sheet(None));
    assert!(page.contains("手書き"), "{page}");
    assert!(!page.contains("パスフレーズ2026"), "{page}");
}
