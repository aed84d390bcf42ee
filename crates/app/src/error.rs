use thiserror::Error;
use tsunagu_store::StoreError;

/// The closed set of failures the UI distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Validation,
    NotFound,
    /// The record changed under the user (issued twice, already corrected).
    Conflict,
    StoreUnavailable,
    StoreKeyMissing,
    StoreKeyWrong,
    /// The data folder names a store whose database file is gone.
    StoreFileMissing,
    KeyringUnavailable,
    /// The regional server could not be reached, or answered with an error.
    Network,
    /// No account is signed in.
    SignedOut,
    /// The screen is locked (idle, or ロック).
    Locked,
    /// The account's role does not allow it.
    Forbidden,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    /// The input field's camelCase key, e.g. `birthDate`.
    pub field: String,
    pub message: String,
}

/// A failure as the user sees it: a Japanese message that says what
/// happened and what to do. Never carries patient data or secrets.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

impl FieldMessage {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldMessage {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn validation(fields: Vec<FieldMessage>) -> Self {
        AppError {
            code: ErrorCode::Validation,
            message: "入力内容を確認してください。".to_string(),
            fields,
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::validation(vec![FieldMessage {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    pub fn not_found() -> Self {
        AppError::new(
            ErrorCode::NotFound,
            "対象の記録が見つかりません。削除されたか、IDが正しくありません。",
        )
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        use ErrorCode::*;
        match err {
            StoreError::WrongKey => AppError::new(
                StoreKeyWrong,
                "データファイルを開けませんでした。暗号鍵が一致しません。\
                 ファイルには一切変更を加えていません。\
                 別のパソコンからコピーしたデータであれば、元のパソコンで開くか、\
                 バックアップから復元してください。解決しない場合はシステム管理者に連絡してください。",
            ),
            StoreError::KeyMissing | StoreError::StoreIdMissing => AppError::new(
                StoreKeyMissing,
                "データファイルはありますが、その暗号鍵がこのパソコンの鍵の保管庫（キーリング）に見つかりません。\
                 ファイルには一切変更を加えていません。\
                 OSのユーザーが違う場合は、データを作成したユーザーでログインしてください。\
                 それ以外の場合は、バックアップから復元するかシステム管理者に連絡してください。",
            ),
            StoreError::DataFileMissing => AppError::new(
                StoreFileMissing,
                "データフォルダにデータファイル（tsunagu.db）が見つかりません。\
                 空のデータで始めると記録が失われたことに気づけないため、起動を中止しました。\
                 フォルダには一切変更を加えていません。\
                 ファイルを移動・削除していないか確認し、元に戻せない場合はバックアップから復元してください。",
            ),
            StoreError::KeyringUnavailable(_) | StoreError::KeyringRoundTrip => AppError::new(
                KeyringUnavailable,
                "OSの鍵の保管庫（キーリング）が使えないため、暗号化したデータを開けません。\
                 Windowsでは資格情報マネージャー、macOSではキーチェーン、\
                 Linuxでは gnome-keyring などの Secret Service が動いていることを確認し、アプリを再起動してください。",
            ),
            StoreError::NotEncrypted => AppError::new(
                StoreUnavailable,
                "暗号化機能が組み込まれていないため、データを保存できません。\
                 正式な配布版のアプリを使ってください。",
            ),
            StoreError::DuplicateChartNumber => AppError::field(
                "chartNumber",
                "このカルテ番号は既に他の患者に使われています。",
            ),
            StoreError::DuplicateLogin => {
                AppError::field("login", "このログイン名は既に使われています。")
            }
            StoreError::LastAdministrator => AppError::new(
                Conflict,
                "最後の管理者のアカウントは無効にできません。先に別の管理者を作ってください。",
            ),
            StoreError::NotFound => AppError::not_found(),
            StoreError::BackupPassphraseWrong => AppError::field(
                "passphrase",
                "復旧用パスフレーズが一致しません。印刷した復旧シートの文字を確認してください。\
                 データには一切変更を加えていません。",
            ),
            StoreError::PassphraseTooShort => AppError::field(
                "passphrase",
                format!(
                    "復旧用パスフレーズは{}文字以上にしてください。",
                    tsunagu_store::MIN_PASSPHRASE_CHARS
                ),
            ),
            StoreError::BackupDamaged => AppError::new(
                Validation,
                "バックアップファイルが途中で切れているか、書き換えられています。\
                 このファイルからは復元できません。データには一切変更を加えていません。\
                 別の日付のバックアップを選んでください。",
            ),
            StoreError::NotABackup => AppError::new(
                Validation,
                "選んだファイルはつなぐのバックアップではありません。\
                 「.tsunagu-backup」で終わるファイルを選んでください。",
            ),
            StoreError::BackupFormatUnknown => AppError::new(
                Validation,
                "このバックアップは新しい版のアプリで作られています。\
                 アプリを更新してから復元してください。",
            ),
            StoreError::RestoreWouldOverwrite => AppError::new(
                Conflict,
                "このパソコンには既にデータがあります。復元で既存のデータを上書きすることはありません。",
            ),
            StoreError::ConsentInForce => AppError::new(
                Conflict,
                "この患者には有効な同意が既にあります。内容を変える場合は、その同意を編集してください。",
            ),
            StoreError::TeamExists => AppError::new(
                Conflict,
                "この患者の在宅チームは既にあります。画面を開き直してください。",
            ),
            StoreError::OrderDecided => AppError::new(
                Conflict,
                "この指示書は既に更新されたか、更新しないことが記録されています。画面を開き直してください。",
            ),
            StoreError::RequestChanged => AppError::new(
                Conflict,
                "この相談の状態が変わりました。画面を開き直して確認してください。",
            ),
            StoreError::AlreadyIssued => AppError::new(
                Conflict,
                "この文書は既に発行または訂正されています。文書の一覧を確認してください。",
            ),
            StoreError::Io(_)
            | StoreError::Database(_)
            | StoreError::Migration(_)
            | StoreError::Corrupt(_)
            | StoreError::DuplicateTrackingCode => AppError::new(
                Internal,
                "データの読み書き中に問題が発生しました。入力中の内容は保存されていません。\
                 もう一度お試しください。繰り返す場合はシステム管理者に連絡してください。",
            ),
        }
    }
}

/// A date typed into a form field: the date, or a message on that field
/// (「{label}を入力してください。」 when empty, the parser's reason otherwise).
pub(crate) fn date_field(
    input: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldMessage>,
) -> Option<chrono::NaiveDate> {
    match tsunagu_domain::parse_date(input) {
        Ok(date) => Some(date),
        Err(e) => {
            let message = if input.trim().is_empty() {
                format!("{label}を入力してください。")
            } else {
                format!("{label}: {e}")
            };
            errors.push(FieldMessage {
                field: field.to_string(),
                message,
            });
            None
        }
    }
}
