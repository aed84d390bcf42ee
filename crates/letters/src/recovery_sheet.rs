//! The recovery sheet (復旧シート): one A4 page the clinic prints when it
//! sets its backup passphrase and keeps away from the PC (a safe, the
//! director's home). It says what a restore needs and how to do it, and
//! carries the passphrase — printed when it was just typed, or a box to
//! write it in by hand — so a new PC can be set up by whoever is there.

use chrono::NaiveDate;

use crate::fonts::FontKind::{Gothic, Mincho};
use crate::layout::{BODY_LINE, BODY_PT, LEFT, RIGHT, RULE_PT, THIN_PT, TOP, mm, wareki, wrap};
use crate::model::{Field, LetterError, require, unsupported_in};
use crate::page::Page;

/// What the sheet shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverySheet {
    pub clinic_name: String,
    pub made_on: NaiveDate,
    /// The store's id, to match a sheet with its backups.
    pub store_id: String,
    /// Where the backups go, if chosen yet.
    pub backup_folder: Option<String>,
    /// Printed when the clinic has just typed it; otherwise a box to write
    /// it in.
    pub passphrase: Option<String>,
}

const TITLE: &str = "つなぐ 復旧シート";
const INTRODUCTION: &str = "　パソコンが壊れたとき・買い替えたときに、つなぐのデータ（患者・紹介・文書・同意・地域との同期の状態）をバックアップから戻すためのシートです。パソコンとは別の安全な場所（金庫など）に保管してください。このシートとバックアップの両方を手に入れた人はデータを読めます。";
const STEPS: [&str; 4] = [
    "1. 新しいパソコンにつなぐを入れて起動し、「バックアップから復元」を選ぶ。",
    "2. 「バックアップファイルを選ぶ」で、バックアップ先にある「.tsunagu-backup」で終わるファイル（いちばん新しいもの）を選ぶ。",
    "3. 下の復旧用パスフレーズを入力して「復元する」を押す。",
    "4. 今までのアカウントでサインインする。地域との同期は自動で続きます。",
];
const HAND_WRITTEN: &str =
    "（パスフレーズは画面に表示されません。設定したときのものをここに手書きしてください）";
const WARNING: &str = "パスフレーズを忘れ、このシートもなくした場合、バックアップからは復元できません。パスフレーズを変更したときは、新しいシートを印刷し、古いシートは破棄してください（変更前のバックアップには古いパスフレーズが必要です）。";

const TITLE_PT: f32 = 16.0;
const PROSE_PT: f32 = 10.5;
const PROSE_LINE: f32 = 6.0;
const PASSPHRASE_PT: f32 = 14.0;
const WIDTH: f32 = RIGHT - LEFT;

impl RecoverySheet {
    /// Refuses a sheet with nothing to name the clinic or the store, and a
    /// passphrase the fonts cannot draw (printed wrong, it would not open
    /// the backup).
    pub fn check(&self) -> Result<(), LetterError> {
        let mut missing = Vec::new();
        require(&mut missing, Field::FromClinic, &self.clinic_name);
        require(&mut missing, Field::RecordId, &self.store_id);
        if !missing.is_empty() {
            return Err(LetterError::Missing(missing));
        }
        let mut texts = vec![
            (Field::FromClinic, self.clinic_name.clone()),
            (
                Field::RecordId,
                self.backup_folder.clone().unwrap_or_default(),
            ),
        ];
        if let Some(passphrase) = &self.passphrase {
            texts.push((Field::Passphrase, passphrase.clone()));
        }
        let unsupported = unsupported_in(texts);
        if !unsupported.is_empty() {
            return Err(LetterError::UnsupportedCharacters(unsupported));
        }
        Ok(())
    }
}

/// Lays out a checked sheet: one page.
pub fn layout_recovery_sheet(sheet: &RecoverySheet) -> Page {
    let mut page = Page::default();
    let mut y = TOP + mm(TITLE_PT);
    page.text_centered((LEFT + RIGHT) / 2.0, y, Gothic, TITLE_PT, TITLE);
    y += 4.0;
    page.line(LEFT, y, RIGHT, y, RULE_PT);
    y += 6.0;
    y = prose(&mut page, y, INTRODUCTION, PROSE_PT, PROSE_LINE);
    y += 3.0;

    let folder = sheet.backup_folder.clone().unwrap_or_else(|| {
        "（未設定：アプリの「医療機関情報」→「バックアップ」で選んでください）".into()
    });
    let rows = [
        ("医療機関", sheet.clinic_name.clone()),
        ("印刷日", wareki(sheet.made_on)),
        ("バックアップ先", folder),
        ("データの識別番号", sheet.store_id.clone()),
    ];
    for (label, value) in rows {
        let lines = wrap(&value, Mincho, BODY_PT, WIDTH - 42.0);
        page.text(
            LEFT + 2.0,
            y + mm(BODY_PT) + 1.5,
            Gothic,
            BODY_PT - 1.0,
            label,
        );
        for (i, line) in lines.iter().enumerate() {
            page.text(
                LEFT + 42.0,
                y + mm(BODY_PT) + 1.5 + i as f32 * BODY_LINE,
                Mincho,
                BODY_PT,
                line.as_str(),
            );
        }
        y += lines.len().max(1) as f32 * BODY_LINE + 3.0;
        page.line(LEFT, y, RIGHT, y, THIN_PT);
    }
    y += 6.0;

    page.text(LEFT, y, Gothic, 11.0, "復元の手順");
    y += 3.0;
    for step in STEPS {
        y = prose(&mut page, y, step, BODY_PT, BODY_LINE);
        y += 1.0;
    }
    y += 5.0;

    page.text(LEFT, y, Gothic, 11.0, "復旧用パスフレーズ");
    y += 3.0;
    let box_height = 24.0;
    page.frame(LEFT, y, WIDTH, box_height, RULE_PT);
    match &sheet.passphrase {
        Some(passphrase) => {
            let lines = wrap(passphrase, Gothic, PASSPHRASE_PT, WIDTH - 10.0);
            for (i, line) in lines.iter().take(3).enumerate() {
                page.text(
                    LEFT + 5.0,
                    y + 9.0 + i as f32 * 7.0,
                    Gothic,
                    PASSPHRASE_PT,
                    line.as_str(),
                );
            }
        }
        None => {
            page.text(LEFT + 5.0, y + box_height - 3.0, Mincho, 8.0, HAND_WRITTEN);
        }
    }
    y += box_height + 6.0;
    prose(&mut page, y, WARNING, 9.0, 4.6);
    page
}

/// Wrapped text from `y` (the top of its first line); returns the y
/// under it.
fn prose(page: &mut Page, y: f32, text: &str, size: f32, line: f32) -> f32 {
    let lines = wrap(text, Mincho, size, WIDTH);
    for (i, l) in lines.iter().enumerate() {
        page.text(
            LEFT,
            y + mm(size) + i as f32 * line,
            Mincho,
            size,
            l.as_str(),
        );
    }
    y + lines.len() as f32 * line + 1.5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(passphrase: Option<&str>) -> RecoverySheet {
        RecoverySheet {
            clinic_name: "さくら内科クリニック".into(),
            made_on: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
            store_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
            backup_folder: Some("/media/usb/tsunagu".into()),
            passphrase: passphrase.map(str::to_string),
        }
    }

    #[test]
    fn the_passphrase_is_on_the_sheet_only_when_given() {
        let with = layout_recovery_sheet(&sheet(Some("さくら内科の復旧用パスフレーズ2026")));
        assert!(
            with.texts()
                .any(|t| t.contains("さくら内科の復旧用パスフレーズ2026"))
        );
        let without = layout_recovery_sheet(&sheet(None));
        assert!(without.texts().any(|t| t.contains("手書き")));
        assert!(
            !without
                .texts()
                .any(|t| t.contains("2026") && t.contains("パスフレーズ2026"))
        );
    }

    #[test]
    fn a_passphrase_the_fonts_cannot_draw_is_refused() {
        assert!(sheet(Some("ok-passphrase-123")).check().is_ok());
        assert!(matches!(
            sheet(Some("絵文字😀のパスフレーズ")).check(),
            Err(LetterError::UnsupportedCharacters(_))
        ));
        let mut nameless = sheet(None);
        nameless.clinic_name = " ".into();
        assert!(matches!(nameless.check(), Err(LetterError::Missing(_))));
    }
}
